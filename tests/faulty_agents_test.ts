/**
 * Faulty agents: each kind of fault ends in retries and then either success through a fallback
 * agent or a failed step with a readable error, while the orchestrator stays healthy.
 */
import { assert, assertEquals, assertMatch } from "@app/lib/assert";
import { dbTest } from "@app/db/testing";
import { Hono } from "hono";
import { startScriptedAgent } from "./helpers/scripted_agent.ts";
import { startOrchestrator } from "./helpers/orchestrator.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

/** An "A2A agent" whose card is fine but whose JSON-RPC answers are not the protocol. */
function startBrokenA2a(reply: (c: { text: (s: string) => Response }) => Response) {
  const app = new Hono();
  const card = (base: string) => ({
    name: "BrokenA2A",
    description: "answers nonsense",
    version: "1.0.0",
    protocolVersion: "0.3.0",
    url: base,
    preferredTransport: "JSONRPC",
    capabilities: { streaming: true },
    defaultInputModes: ["text/plain"],
    defaultOutputModes: ["text/plain"],
    skills: [{ id: "research", name: "Research", description: "r", tags: ["research"] }],
  });
  let base = "";
  app.get("/.well-known/agent-card.json", (c) => c.json(card(base)));
  app.post("/", (c) => reply(c as never));
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, app.fetch);
  base = `http://127.0.0.1:${server.addr.port}`;
  return { url: base, close: () => server.shutdown() };
}

const FAULTS: [string, Parameters<typeof startScriptedAgent>[0]["behave"], RegExp][] = [
  ["HTTP 500", () => ({ status: 500 }), /HTTP 500/],
  ["malformed JSON", () => ({ status: 200, body: "{not json" }), /malformed JSON/],
  ["a hang past the step timeout", () => ({ hang: true }), /timed out after 300 ms/],
];

for (const [fault, behave, message] of FAULTS) {
  dbTest(
    `[faults] ${fault}: retried, then the fallback agent succeeds; alone, a readable failure`,
    async ({ url }) => {
      const bad = startScriptedAgent({ name: "Bad", capabilities: ["research"], behave });
      const good = startScriptedAgent({ name: "Good", capabilities: ["research"] });
      const orch = await startOrchestrator(url, { STEP_TIMEOUT_MS: "300", STEP_MAX_RETRIES: "1" });
      try {
        const register = (a: { name: string; url: string }) =>
          orch.api("/api/agents", {
            method: "POST",
            json: { name: a.name, agent_type: "api", endpoint: a.url, capabilities: ["research"] },
          });
        await register(bad);
        await register(good);
        const created = await orch.api<Json>("/api/tasks", {
          method: "POST",
          json: { description: "Research faults" },
        });
        const task = await orch.waitForTask(created.body.task_id) as Json;
        assertEquals(task.status, "completed", JSON.stringify(task));
        assertEquals(task.steps[0].agent_name, "Good");
        assertEquals(bad.calls.get("Research faults"), 2, "tried, retried, then fell back");

        await orch.api("/api/agents/2", { method: "DELETE" });
        const alone = await orch.api<Json>("/api/tasks", {
          method: "POST",
          json: { description: "Research alone" },
        });
        const failed = await orch.waitForTask(alone.body.task_id) as Json;
        assertEquals(failed.status, "failed");
        assertMatch(failed.steps[0].error, message);
        assertEquals((await orch.api("/health")).status, 200, "the orchestrator stays healthy");
      } finally {
        await orch.close();
        await bad.close();
        await good.close();
      }
    },
  );
}

dbTest(
  "[faults] a refused connection and a protocol-invalid A2A reply fail readably",
  async ({ url }) => {
    const broken = startBrokenA2a((c) => c.text("<html>definitely not JSON-RPC</html>"));
    const orch = await startOrchestrator(url, { STEP_MAX_RETRIES: "1" });
    try {
      // A port that was just free: nothing listens there, so connecting is refused.
      const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
      const closedPort = (listener.addr as Deno.NetAddr).port;
      listener.close();
      await orch.api("/api/agents", {
        method: "POST",
        json: {
          name: "Refused",
          agent_type: "api",
          endpoint: `http://127.0.0.1:${closedPort}`,
          capabilities: ["analysis"],
        },
      });
      const refused = await orch.api<Json>("/api/tasks", {
        method: "POST",
        json: { description: "Analyze refusals" },
      });
      const r = await orch.waitForTask(refused.body.task_id) as Json;
      assertEquals(r.status, "failed");
      assertMatch(r.error, /Refused.*(refused|connect)/i);

      const registered = await orch.api<Json>("/api/agents", {
        method: "POST",
        json: { url: broken.url },
      });
      assertEquals([registered.status, registered.body.name], [201, "BrokenA2A"]);
      const bad = await orch.api<Json>("/api/tasks", {
        method: "POST",
        json: { description: "Research nonsense" },
      });
      const b = await orch.waitForTask(bad.body.task_id) as Json;
      assertEquals(b.status, "failed");
      assert(b.steps[0].error.includes("BrokenA2A"), b.steps[0].error);
      assertEquals((await orch.api("/health")).status, 200);
    } finally {
      await orch.close();
      await broken.close();
    }
  },
);
