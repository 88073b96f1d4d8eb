/**
 * GET /api/tasks filters (issue 19's tasks page): by agent (a step on it), by time (since /
 * until), by words of the request (any case; % and _ are plain characters), with status and
 * owner scoping as before. On SQLite and Postgres.
 */
import { assertEquals } from "@app/lib/assert";
import { openTestDatabase, testDialects } from "@app/db/testing";
import { startOrchestrator } from "./helpers/orchestrator.ts";
import { registerScriptedAgent, startScriptedAgent } from "./helpers/scripted_agent.ts";

for (const dialect of testDialects()) {
  Deno.test({
    name: `[orchestrator] task list filters: agent, time, search, owner (${dialect})`,
    sanitizeResources: false,
    sanitizeOps: false,
    async fn() {
      const database = await openTestDatabase(dialect);
      const researcher = startScriptedAgent({ name: "Researcher", capabilities: ["research"] });
      const analyst = startScriptedAgent({ name: "Analyst", capabilities: ["analysis"] });
      const admin = { authorization: "Bearer filters-admin" };
      const orch = await startOrchestrator(database.url, { API_KEY: "filters-admin" });
      try {
        const ids: Record<string, number> = {};
        for (const agent of [researcher, analyst]) {
          ids[agent.name] = await registerScriptedAgent(orch, agent, admin);
        }
        const submit = async (description: string) => {
          const { body } = await orch.api<{ task_id: number }>("/api/tasks", {
            method: "POST",
            headers: admin,
            json: { description, user_id: "ann" },
          });
          await orch.waitForTask(body.task_id, undefined, admin);
          return body.task_id;
        };
        const tides = await submit("Research tidal power");
        const numbers = await submit("Analyze 4, 8, 15, 16");
        const odd = await submit("Research 100% of the KELP_farms");
        const list = async (query: string, headers = admin) => {
          const { status, body } = await orch.api<{ id: number }[]>(`/api/tasks?${query}`, {
            headers,
          });
          assertEquals(status, 200, JSON.stringify(body));
          return body.map((t) => t.id);
        };
        assertEquals(await list(`agent_id=${ids.Researcher}`), [odd, tides]);
        assertEquals(await list(`agent_id=${ids.Analyst}`), [numbers]);
        assertEquals(await list("q=TIDAL"), [tides]);
        assertEquals(await list("q=100%25"), [odd]);
        assertEquals(await list("q=kelp_"), [odd]);
        assertEquals(await list("q=_"), [odd], "_ is a character, not a wildcard");
        assertEquals(await list("q=research&status=completed"), [odd, tides]);
        assertEquals(await list("since=2999-01-01T00:00:00Z"), []);
        assertEquals(await list("until=2000-01-01"), []);
        assertEquals(await list("since=2000-01-01&until=2999-01-01"), [odd, numbers, tides]);
        const bad = await orch.api<{ error: { message: string } }>("/api/tasks?since=yesterday", {
          headers: admin,
        });
        assertEquals(bad.status, 422);
        // Owner-scoped: another user sees none of ann's tasks.
        const { body: key } = await orch.api<{ key: string }>("/api/keys", {
          method: "POST",
          headers: admin,
          json: { user_id: "bob" },
        });
        assertEquals(await list("q=research", { authorization: `Bearer ${key.key}` }), []);
      } finally {
        await orch.close();
        await researcher.close();
        await analyst.close();
        await database.close();
      }
    },
  });
}
