/**
 * Agents that ask, end to end with the built-in A2A agent as its own process (offline), on
 * SQLite and Postgres: "Research it" names nothing, so the agent's graph interrupts with a
 * question; the orchestrator shows it, takes the answer, and the agent resumes its graph from
 * its checkpoint in the same A2A task to a report on the answer's subject.
 */
import { assertEquals, assertStringIncludes } from "@app/lib/assert";
import { dbTest } from "@app/db/testing";
import { listMessages } from "@app/db";
import { startA2aAgentProcess } from "./helpers/a2a_agent_process.ts";
import { startOrchestrator } from "./helpers/orchestrator.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

dbTest(
  "[questions] the built-in A2A agent asks for a subject through the orchestrator and researches the answer",
  async ({ db, url }) => {
    const agent = await startA2aAgentProcess(url);
    const o = await startOrchestrator(url);
    try {
      const registered = await o.api<Json>("/api/agents", {
        method: "POST",
        json: { url: agent.url },
      });
      assertEquals(registered.status, 201, JSON.stringify(registered.body));
      const created = await o.api<Json>("/api/tasks", {
        method: "POST",
        json: { description: "Research it" },
      });
      const id = created.body.task_id;
      let task: Json = {};
      for (
        let i = 0;
        i < 1500 && !["input_required", "completed", "failed"].includes(task.status);
        i++
      ) {
        task = (await o.api<Json>(`/api/tasks/${id}`)).body;
        await new Promise((r) => setTimeout(r, 20));
      }
      assertEquals(task.status, "input_required", JSON.stringify(task));
      const asking = task.steps.find((s: Json) => s.status === "input_required");
      assertStringIncludes(asking.question, "What should I work on?");
      const answered = await o.api<Json>(`/api/tasks/${id}/input`, {
        method: "POST",
        json: { text: "geothermal energy in Iceland" },
      });
      assertEquals(answered.status, 200, JSON.stringify(answered.body));
      const done = await o.waitForTask(id, 60_000) as Json;
      assertEquals(done.status, "completed", JSON.stringify(done));
      assertStringIncludes(
        JSON.stringify(done.steps.find((s: Json) => s.step_number === asking.step_number)),
        "geothermal energy in Iceland",
      );
      const roles = (await listMessages(db, task.session_id)).map((m) => m.role);
      assertEquals(roles.slice(0, 3), ["user", "agent", "user"]);
    } finally {
      await o.close();
      await agent.kill("SIGTERM");
    }
  },
);
