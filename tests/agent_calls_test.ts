/**
 * GET /api/agents/calls: calls, success rate, p50/p95 and the last error per agent, from its
 * finished steps; another user sees only their own tasks' numbers. On SQLite and Postgres.
 */
import { assert, assertEquals } from "@app/lib/assert";
import { openTestDatabase, testDialects } from "@app/db/testing";
import { percentile } from "../orchestrator/agent_calls.ts";
import { startOrchestrator } from "./helpers/orchestrator.ts";
import { registerScriptedAgent, startScriptedAgent } from "./helpers/scripted_agent.ts";

Deno.test("[orchestrator] percentile: nearest rank", () => {
  assertEquals(percentile([], 50), null);
  assertEquals(percentile([10], 95), 10);
  assertEquals(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50), 5);
  assertEquals(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95), 10);
});

type Usage = {
  agent_id: number;
  calls: number;
  succeeded: number;
  failed: number;
  success_rate: number | null;
  p50_ms: number | null;
  p95_ms: number | null;
  last_error: string | null;
};

for (const dialect of testDialects()) {
  Deno.test({
    name: `[orchestrator] agent usage: calls, success rate, p50/p95, last error (${dialect})`,
    sanitizeResources: false,
    sanitizeOps: false,
    async fn() {
      const database = await openTestDatabase(dialect);
      const agent = startScriptedAgent({
        name: "Measured",
        capabilities: ["research"],
        behave: ({ instruction }) =>
          /broken/i.test(instruction) ? { status: 400, body: '{"error":"no such topic"}' } : {
            delayMs: 20,
          },
      });
      const admin = { authorization: "Bearer usage-admin" };
      const orch = await startOrchestrator(database.url, { API_KEY: "usage-admin" });
      try {
        const registered = { id: await registerScriptedAgent(orch, agent, admin) };
        for (const description of ["Research tides", "Research kelp", "Research broken things"]) {
          const { body } = await orch.api<{ task_id: number }>("/api/tasks", {
            method: "POST",
            headers: admin,
            json: { description, user_id: "ann" },
          });
          await orch.waitForTask(body.task_id, undefined, admin);
        }
        const { status, body } = await orch.api<Usage[]>("/api/agents/calls", { headers: admin });
        assertEquals(status, 200);
        const usage = body.find((u) => u.agent_id === registered.id)!;
        assertEquals([usage.calls, usage.succeeded, usage.failed], [3, 2, 1]);
        assertEquals(usage.success_rate, 2 / 3);
        assert(usage.p50_ms !== null && usage.p50_ms >= 20, `p50 ${usage.p50_ms}`);
        assert(usage.p95_ms! >= usage.p50_ms!);
        assert(usage.last_error?.includes("400"), `last error: ${usage.last_error}`);

        const { body: key } = await orch.api<{ key: string }>("/api/keys", {
          method: "POST",
          headers: admin,
          json: { user_id: "bob" },
        });
        const bobs = await orch.api<Usage[]>("/api/agents/calls", {
          headers: { authorization: `Bearer ${key.key}` },
        });
        assertEquals(bobs.body, [], "bob ran nothing");
      } finally {
        await orch.close();
        await agent.close();
        await database.close();
      }
    },
  });
}
