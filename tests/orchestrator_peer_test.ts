/**
 * One orchestrator registers another by its URL, like any A2A agent, and gives it steps: the
 * card supplies its skills, the calls carry the other's API key, and the step's output is the
 * other's result, whose own task ran there on its own agents (each with its own database).
 */
import { assert, assertEquals, assertStringIncludes } from "@app/lib/assert";
import { dbTest, openTestDatabase } from "@app/db/testing";
import { startOrchestrator } from "./helpers/orchestrator.ts";
import { startReachStack } from "./helpers/reach_stack.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;
const PEER_KEY = "admin-key-of-the-peer-orchestrator";

dbTest("[a2a endpoint] an orchestrator registered by URL runs another's steps", async (t) => {
  const peer = await startReachStack(t.url, PEER_KEY);
  const ownDb = await openTestDatabase(t.dialect);
  const front = await startOrchestrator(ownDb.url);
  try {
    const registered = await front.api<Json>("/api/agents", {
      method: "POST",
      json: { url: peer.orch.url, agent_type: "a2a_server", credentials: { token: PEER_KEY } },
    });
    assertEquals(registered.status, 201, JSON.stringify(registered.body));
    assertEquals(registered.body.name, "Multi-agent orchestrator");
    assert(registered.body.capabilities.includes("research"), "its agents' capabilities");
    assert(registered.body.capabilities.includes("orchestrate"));

    // Its MCP server, behind the same key, is an MCP agent too: tools listed and pinged with it.
    const mcp = await front.api<Json>("/api/agents", {
      method: "POST",
      json: {
        name: "Peer tools",
        agent_type: "mcp",
        endpoint: `${peer.orch.url}/mcp`,
        credentials: { token: PEER_KEY },
      },
    });
    assertEquals(mcp.status, 201, JSON.stringify(mcp.body));
    assertEquals(
      [...mcp.body.capabilities].sort(),
      ["cancel_task", "create_task", "get_task", "list_agents"],
    );
    const health = await front.api<Json>(`/api/agents/${mcp.body.id}/health`);
    assertEquals(health.body.healthy, true, JSON.stringify(health.body));
    await front.api(`/api/agents/${mcp.body.id}`, { method: "DELETE" });

    const created = await front.api<Json>("/api/tasks", {
      method: "POST",
      json: { description: "Research tidal power" },
    });
    assertEquals(created.status, 201, JSON.stringify(created.body));
    const done = await front.waitForTask(created.body.task_id) as Json;
    assertEquals(done.status, "completed", JSON.stringify(done));
    const output = done.steps[0].output_data;
    assertEquals(done.steps[0].agent_name, "Multi-agent orchestrator");
    // The peer's own task ran on its Worker, and its result is this step's output.
    const peerTasks = (await peer.admin("/api/tasks")).body as Json[];
    assertEquals(peerTasks.length, 1);
    const peerTask = (await peer.admin(`/api/tasks/${peerTasks[0].id}`)).body;
    assertEquals(peerTask.status, "completed");
    assertEquals(peerTask.steps[0].agent_name, "Worker");
    assertEquals(output.summary, peerTask.result.summary);
    assertStringIncludes(peerTask.description, "Research tidal power");
    assertEquals(peerTask.session_id, done.session_id, "the A2A context is the session");
  } finally {
    await front.close();
    await ownDb.close();
    await peer.close();
  }
});
