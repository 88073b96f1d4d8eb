import { assert, assertEquals } from "@app/lib/assert";
import { type Task, TaskState } from "@a2a-js/sdk";
import { ServerCallContext } from "@a2a-js/sdk/server";
import {
  A2A_PUSH_CONFIG_TABLE,
  A2A_TASK_TABLE,
  a2aPushConfigStatements,
  a2aTaskStatements,
  type DialectName,
  ORCHESTRATOR_A2A_PUSH_CONFIG_TABLE,
  ORCHESTRATOR_A2A_TASK_TABLE,
} from "@app/db";
import { dbTest } from "@app/db/testing";
import { createTaskStore } from "./task_store.ts";

/** The SQL the SDK's own CLI renders for one of its stores under our table name. */
async function sdkStatements(
  dialect: DialectName,
  store: "tasks" | "push-notification-configs" = "tasks",
  table: string = A2A_TASK_TABLE,
): Promise<string[]> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "npm:@a2a-js/sdk@1.3.0/a2a-db",
      "upgrade",
      "--sql",
      "--dialect",
      dialect,
      "--store",
      store,
      `--${store}-table-name`,
      table,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(output.stdout);
  assert(output.success, new TextDecoder().decode(output.stderr));
  return text.split(";\n").map((s) => s.split("\n").filter((l) => !l.startsWith("--")).join(" "))
    .map((s) => s.trim().replace(/;$/, "")).filter(Boolean);
}

const stamp = (statement: string) =>
  statement.replace(/'\d{4}-\d\d-\d\dT[\d:.]+Z'/, "'<applied at>'");

for (const dialect of ["sqlite", "postgres"] as const) {
  Deno.test(
    `[a2a] task store: the migration runs the SQL the SDK's a2a-db CLI renders (${dialect})`,
    async () => {
      const ours = a2aTaskStatements(dialect, new Date().toISOString()).map(stamp);
      const sdk = (await sdkStatements(dialect)).map(stamp);
      assertEquals(ours, sdk);
    },
  );
}

for (const dialect of ["sqlite", "postgres"] as const) {
  Deno.test(
    `[a2a] the orchestrator's task table and both push config tables are the SDK's (${dialect})`,
    async () => {
      const now = new Date().toISOString();
      assertEquals(
        a2aTaskStatements(dialect, now, ORCHESTRATOR_A2A_TASK_TABLE).map(stamp),
        (await sdkStatements(dialect, "tasks", ORCHESTRATOR_A2A_TASK_TABLE)).map(stamp),
      );
      for (const table of [A2A_PUSH_CONFIG_TABLE, ORCHESTRATOR_A2A_PUSH_CONFIG_TABLE]) {
        assertEquals(
          a2aPushConfigStatements(dialect, now, table).map(stamp),
          (await sdkStatements(dialect, "push-notification-configs", table)).map(stamp),
        );
      }
    },
  );
}

function task(id: string, contextId: string, state: TaskState, timestamp: string): Task {
  return {
    id,
    contextId,
    status: { state, message: undefined, timestamp },
    artifacts: [],
    history: [{
      messageId: `m-${id}`,
      contextId,
      taskId: id,
      role: 1,
      parts: [{
        content: { $case: "text", value: `hello ${id}` },
        metadata: undefined,
        filename: "",
        mediaType: "",
      }],
      metadata: undefined,
      extensions: [],
      referenceTaskIds: [],
    }],
    metadata: { nested: { note: "kept" } },
  };
}

dbTest("[a2a] task store: tasks saved through one connection load through another", async (t) => {
  const context = new ServerCallContext();
  const store = createTaskStore(t.db);
  await store.save(task("t1", "c1", TaskState.TASK_STATE_WORKING, "2026-01-01T00:00:00Z"), context);
  await store.save(
    task("t1", "c1", TaskState.TASK_STATE_COMPLETED, "2026-01-01T00:00:02Z"),
    context,
  );
  await store.save(task("t2", "c1", TaskState.TASK_STATE_FAILED, "2026-01-01T00:00:01Z"), context);
  await store.save(task("t3", "c2", TaskState.TASK_STATE_WORKING, "2026-01-01T00:00:03Z"), context);

  const other = createTaskStore(t.reconnect());
  const loaded = await other.load("t1", context);
  assertEquals(loaded?.status?.state, TaskState.TASK_STATE_COMPLETED, "the upsert replaced it");
  assertEquals(loaded?.metadata, { nested: { note: "kept" } });
  assertEquals(loaded?.history.map((m) => m.messageId), ["m-t1"]);
  assertEquals(await other.load("missing", context), undefined);
  const listed = await other.list({ contextId: "c1", pageSize: 10 } as never, context);
  assertEquals(listed.tasks.map((x) => x.id), ["t1", "t2"], "newest status first");
  const rows = await t.db.selectFrom(A2A_TASK_TABLE as never).selectAll().execute();
  assertEquals(rows.length, 3, "one row per task");
});
