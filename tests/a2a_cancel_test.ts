/**
 * Cancelling an orchestrator task whose step runs on a real A2A agent aborts the call and
 * sends A2A `CancelTask`: the agent's own task ends canceled.
 */
import { assertEquals } from "@app/lib/assert";
import { parseConfig, silentLogger } from "@app/lib";
import { createApp as createA2aAgent } from "@app/a2a-agent";
import { dbTest } from "@app/db/testing";
import { startOrchestrator } from "./helpers/orchestrator.ts";
import { freePort } from "./helpers/free_port.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

dbTest("[a2a] cancelling a task cancels the A2A task running on the agent", async ({ db, url }) => {
  // The card must name the URL the agent is really reached at, so the port is chosen first.
  const port = freePort();
  const base = `http://127.0.0.1:${port}`;
  const agent = createA2aAgent({
    config: parseConfig({ LLM_PROVIDER: "offline" }),
    logger: silentLogger,
    llm: null,
    db,
    publicUrl: base,
    nodeDelayMs: 1_000,
  });
  const real = Deno.serve({ port, hostname: "127.0.0.1", onListen() {} }, agent.fetch);
  const orch = await startOrchestrator(url);
  try {
    const registered = await orch.api<Json>("/api/agents", { method: "POST", json: { url: base } });
    assertEquals(registered.status, 201, JSON.stringify(registered.body));
    const created = await orch.api<Json>("/api/tasks", {
      method: "POST",
      json: { description: "Research slow things" },
    });
    const id = created.body.task_id;
    const rpc = async (method: string, params: unknown) =>
      await (await fetch(base, {
        method: "POST",
        headers: { "content-type": "application/json", "A2A-Version": "1.0" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
      })).json();
    // Wait until the agent holds a working task for this session.
    let agentTask: Json | undefined;
    const deadline = Date.now() + 10_000;
    // (A task is first stored submitted, then marked working: wait for working.)
    while (agentTask?.status?.state !== "TASK_STATE_WORKING" && Date.now() < deadline) {
      const listed = await rpc("ListTasks", { contextId: created.body.session_id });
      agentTask = listed.result?.tasks?.[0];
      if (agentTask?.status?.state !== "TASK_STATE_WORKING") {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    assertEquals(agentTask?.status?.state, "TASK_STATE_WORKING", JSON.stringify(agentTask));

    await orch.api(`/api/tasks/${id}/cancel`, { method: "POST" });
    let state = "";
    const cancelDeadline = Date.now() + 5_000;
    while (state !== "TASK_STATE_CANCELED" && Date.now() < cancelDeadline) {
      state = (await rpc("GetTask", { id: agentTask!.id })).result?.status?.state;
      await new Promise((r) => setTimeout(r, 50));
    }
    assertEquals(state, "TASK_STATE_CANCELED", "the orchestrator sent CancelTask to the agent");
    assertEquals((await orch.waitForTask(id) as Json).status, "cancelled");
  } finally {
    await orch.close();
    await real.shutdown();
  }
});
