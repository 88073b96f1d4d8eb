import { assert, assertEquals } from "@app/lib/assert";
import { type Task, TaskState } from "@a2a-js/sdk";
import { ServerCallContext } from "@a2a-js/sdk/server";
import { DatabaseTaskStore } from "@a2a-js/sdk/server/database";
import { A2A_TASK_TABLE } from "@app/db";
import { dbTest } from "@app/db/testing";
import { BatchedTaskStore } from "./batched_task_store.ts";

function task(id: string, state: TaskState, note: string): Task {
  return {
    id,
    contextId: `ctx-${id}`,
    status: {
      state,
      message: {
        messageId: `status-${id}`,
        contextId: `ctx-${id}`,
        taskId: id,
        role: 2,
        parts: [{
          content: { $case: "text", value: note },
          metadata: undefined,
          filename: "",
          mediaType: "text/plain",
        }],
        metadata: undefined,
        extensions: [],
        referenceTaskIds: [],
      },
      timestamp: "2026-01-01T00:00:01.000Z",
    },
    artifacts: [{
      artifactId: "report",
      name: "report",
      description: "",
      parts: [{
        content: { $case: "data", value: { summary: note, n: [1, 2] } },
        metadata: undefined,
        filename: "",
        mediaType: "application/json",
      }],
      metadata: { kind: "report" },
      extensions: [],
    }],
    history: [],
    metadata: { usage: { tokens: 3 } },
  };
}

const userContext = (userName: string) =>
  new ServerCallContext({ user: { isAuthenticated: true, userName } });

dbTest("[a2a] batched task store: writes the SDK store's rows and reads its rows", async (t) => {
  const context = userContext("alice");
  const sdk = new DatabaseTaskStore(t.db, { tableName: A2A_TASK_TABLE });
  const batched = new BatchedTaskStore(t.db, A2A_TASK_TABLE);
  const rowOf = (id: string) =>
    t.db.selectFrom(A2A_TASK_TABLE as never).selectAll().where("id" as never, "=", id as never)
      .executeTakeFirstOrThrow();

  const original = task("t-1", TaskState.TASK_STATE_WORKING, "first");
  await sdk.save(original, context);
  const sdkRow = await rowOf("t-1");
  assertEquals(await batched.load("t-1", context), await sdk.load("t-1", context));
  await batched.save(original, context);
  assertEquals(await rowOf("t-1"), sdkRow, "the same row, column by column");

  const changed = task("t-1", TaskState.TASK_STATE_COMPLETED, "second");
  await batched.save(changed, context);
  assertEquals(await sdk.load("t-1", context), await batched.load("t-1", context));
  assertEquals((await sdk.load("t-1", context))?.status?.state, TaskState.TASK_STATE_COMPLETED);
  assertEquals(await batched.load("t-1", userContext("bob")), undefined, "another owner's");
  const listed = await batched.list({ pageSize: 10 } as never, context);
  assertEquals(listed.tasks.map((x: Task) => x.id), ["t-1"]);
});

dbTest("[a2a] batched task store: concurrent loads and saves, fewer statements", async (t) => {
  const [alice, bob] = [userContext("alice"), userContext("bob")];
  const store = new BatchedTaskStore(t.db, A2A_TASK_TABLE);
  const ids = Array.from({ length: 20 }, (_, i) => `t-${i}`);
  await Promise.all(ids.map((id) => store.save(task(id, TaskState.TASK_STATE_WORKING, id), alice)));
  // The same ids under another owner are other tasks.
  await store.save(task("t-0", TaskState.TASK_STATE_FAILED, "bob's"), bob);
  assert(store.saves.stats.batches < store.saves.stats.calls, "saves went together");

  const loaded = await Promise.all([...ids, "missing"].map((id) => store.load(id, alice)));
  assertEquals(loaded.map((x) => x?.id), [...ids, undefined]);
  assertEquals(loaded.map((x) => x?.status?.message?.parts[0].content), [
    ...ids.map((id) => ({ $case: "text", value: id })),
    undefined,
  ]);
  assert(store.loads.stats.batches < store.loads.stats.calls, "loads went together");
  assertEquals((await store.load("t-0", bob))?.status?.state, TaskState.TASK_STATE_FAILED);

  // Two saves of one task in one batch: the later one is what stays.
  await Promise.all([
    store.save(task("t-3", TaskState.TASK_STATE_WORKING, "earlier"), alice),
    store.save(task("t-3", TaskState.TASK_STATE_COMPLETED, "later"), alice),
  ]);
  assertEquals((await store.load("t-3", alice))?.status?.state, TaskState.TASK_STATE_COMPLETED);
  const rows = await t.db.selectFrom(A2A_TASK_TABLE as never).selectAll().execute();
  assertEquals(rows.length, 21, "one row per task and owner");
});
