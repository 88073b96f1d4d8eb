/**
 * Retry from the failed step (issue 19): a task whose second step failed is queued again by
 * POST /api/tasks/{id}/retry; only the failed step runs again (the first step's agent call is
 * not repeated, its output re-used), the task completes, and `task.retried` names the steps.
 * Only a failed or cancelled task that ran a step can be retried (409: not a rejected plan),
 * only by its owner (404 to others).
 * On SQLite and Postgres.
 */
import { assertEquals, assertStringIncludes } from "@app/lib/assert";
import { openTestDatabase, testDialects } from "@app/db/testing";
import { startOrchestrator } from "./helpers/orchestrator.ts";
import { registerScriptedAgent, startScriptedAgent } from "./helpers/scripted_agent.ts";
import { readSse } from "./helpers/sse.ts";

for (const dialect of testDialects()) {
  Deno.test({
    name: `[orchestrator] retry from the failed step re-uses the completed steps (${dialect})`,
    sanitizeResources: false,
    sanitizeOps: false,
    async fn() {
      const database = await openTestDatabase(dialect);
      let broken = true;
      const agent = startScriptedAgent({
        name: "Flaky",
        capabilities: ["research", "analysis", "summarization"],
        // Every step but the first fails (400: not retried) until the agent is mended.
        behave: ({ instruction }) =>
          broken && !/^research/i.test(instruction) ? { status: 400 } : undefined,
      });
      const admin = "retry-admin-key";
      const orch = await startOrchestrator(database.url, { API_KEY: admin });
      const auth = { authorization: `Bearer ${admin}` };
      try {
        await registerScriptedAgent(orch, agent, auth);
        const created = await orch.api<{ task_id: number }>("/api/tasks", {
          method: "POST",
          headers: auth,
          json: { description: "Research wind power and summarize it", user_id: "ann" },
        });
        const id = created.body.task_id;
        const failed = await orch.waitForTask(id, undefined, auth);
        assertEquals(failed.status, "failed");
        const steps = failed.steps as { status: string; description: string }[];
        assertEquals(steps[0].status, "completed");
        const firstCalls = agent.calls.get(steps[0].description);

        // Not a running or completed task; not someone else's.
        const { body: key } = await orch.api<{ key: string }>("/api/keys", {
          method: "POST",
          headers: auth,
          json: { user_id: "bob" },
        });
        const bobs = await orch.api(`/api/tasks/${id}/retry`, {
          method: "POST",
          headers: { authorization: `Bearer ${key.key}` },
        });
        assertEquals(bobs.status, 404);

        broken = false;
        const retried = await orch.api<{ status: string }>(`/api/tasks/${id}/retry`, {
          method: "POST",
          headers: auth,
        });
        assertEquals(retried.status, 200);
        assertEquals(retried.body.status, "pending");
        const done = await orch.waitForTask(id, undefined, auth);
        assertEquals(done.status, "completed");
        assertEquals(agent.calls.get(steps[0].description), firstCalls, "step 1 not rerun");
        const again = await orch.api<{ error: { message: string } }>(`/api/tasks/${id}/retry`, {
          method: "POST",
          headers: auth,
        });
        assertEquals(again.status, 409);
        assertStringIncludes(again.body.error.message, "failed or cancelled");

        // A rejected plan never ran: retrying it would skip its approval.
        const { body: held } = await orch.api<{ task_id: number }>("/api/tasks", {
          method: "POST",
          headers: auth,
          json: { description: "Research tides", user_id: "ann", require_approval: true },
        });
        const rejected = await orch.api(`/api/tasks/${held.task_id}/reject`, {
          method: "POST",
          headers: auth,
          json: { reason: "not now" },
        });
        assertEquals(rejected.status, 200);
        const refused = await orch.api<{ error: { message: string } }>(
          `/api/tasks/${held.task_id}/retry`,
          { method: "POST", headers: auth },
        );
        assertEquals(refused.status, 409);
        assertStringIncludes(refused.body.error.message, "never ran a step");

        const events = await readSse(`${orch.url}/api/tasks/${id}/events`, { headers: auth });
        const retriedEvent = events.find((e) => e.event === "task.retried");
        const data = JSON.parse(retriedEvent!.data);
        assertEquals(data.steps, steps.slice(1).map((_, i) => i + 2));
        assertEquals(events.at(-1)!.event, "task.completed");
      } finally {
        await orch.close();
        await agent.close();
        await database.close();
      }
    },
  });
}
