/**
 * The A2A agent keeps its tasks in the project's database: a new agent process on the same
 * database answers `GetTask` (v1.0, the SDK's client) and `tasks/get` (v0.3) for the tasks the
 * previous process ran, report and history included.
 */
import { assert, assertEquals } from "@app/lib/assert";
import { dbTest } from "@app/db/testing";
import { ClientFactory } from "@a2a-js/sdk/client";
import { type Task, TaskState } from "@a2a-js/sdk";
import { startA2aAgentProcess } from "./helpers/a2a_agent_process.ts";
import { asTask, reportOf, sendRequest, userMessage } from "../agents/a2a/testdata/a2a.ts";

const startAgent = (databaseUrl: string) => startA2aAgentProcess(databaseUrl);

async function legacyGet(url: string, id: string) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 7, method: "tasks/get", params: { id } }),
  });
  return await response.json();
}

dbTest("[a2a] a restarted agent answers GetTask and tasks/get for its tasks", async ({ url }) => {
  let first = await startAgent(url);
  let done: Task;
  let canceled: Task;
  try {
    const client = await new ClientFactory().createFromUrl(first.url);
    done = asTask(
      await client.sendMessage(sendRequest(userMessage(
        "Research how Norway adopted electric cars. Norway sold 90% electric cars in 2024.",
        { contextId: "restart-context" },
      ))),
    );
    assertEquals(done.status?.state, TaskState.TASK_STATE_COMPLETED);
    canceled = asTask(
      await client.sendMessage(sendRequest(userMessage("Research slow things."), true)),
    );
    await client.cancelTask({ tenant: "", id: canceled.id, metadata: undefined }).catch(() => {});
  } finally {
    await first.kill("SIGTERM");
  }

  first = await startAgent(url);
  try {
    const client = await new ClientFactory().createFromUrl(first.url);
    const fetched = await client.getTask({ tenant: "", id: done.id, historyLength: undefined });
    assertEquals(fetched.id, done.id);
    assertEquals(fetched.contextId, "restart-context");
    assertEquals(fetched.status?.state, TaskState.TASK_STATE_COMPLETED);
    assertEquals(reportOf(fetched), reportOf(done));
    assertEquals(fetched.history.map((m) => m.messageId), done.history.map((m) => m.messageId));
    const other = await client.getTask({ tenant: "", id: canceled.id, historyLength: undefined });
    assert(
      [TaskState.TASK_STATE_CANCELED, TaskState.TASK_STATE_COMPLETED].includes(
        other.status!.state,
      ),
      `the second task ended before the restart: ${other.status?.state}`,
    );

    const legacy = await legacyGet(first.url, done.id);
    assertEquals(legacy.result?.id, done.id, JSON.stringify(legacy));
    assertEquals(legacy.result.kind, "task");
    assertEquals(legacy.result.status.state, "completed");
    const data = legacy.result.artifacts[0].parts.find((p: { kind: string }) => p.kind === "data");
    assertEquals(data.data.summary, reportOf(done).summary);
    assert("openQuestions" in data.data, "camelCase in v0.3 too");

    const unknown = await legacyGet(first.url, crypto.randomUUID());
    assertEquals(unknown.error?.code, -32001);
  } finally {
    await first.kill("SIGTERM");
  }
});
