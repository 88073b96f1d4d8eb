/**
 * Answers that make sense, offline, through the real orchestrator and the real A2A and API
 * agents over HTTP: numbers reach `analyze` as data, a follow-up works on the earlier answer, an
 * unrelated request is kept apart from it, a topic with no material is researched first and
 * answered plainly, every offline answer says how to add a model, and a step keeps its agent's
 * name after the agent is removed.
 */
import { assert, assertEquals, assertStringIncludes } from "@app/lib/assert";
import { dbTest } from "@app/db/testing";
import { OFFLINE_NOTICE } from "@app/lib/offline_notice";
import { startAgent as startA2aAgent } from "../agents/a2a/testdata/start_agent.ts";
import { startAgent as startApiAgent } from "../agents/api/testdata/server.ts";
import { startOrchestrator } from "./helpers/orchestrator.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

dbTest(
  "[answers] numbers, follow-ups, unrelated requests and topics without material",
  async ({ url }) => {
    const a2a = await startA2aAgent();
    const apiAgent = startApiAgent();
    const orch = await startOrchestrator(url);
    try {
      // The A2A agent registers first: it has "analysis" too, so the numbers must be routed.
      const research = await orch.api<Json>("/api/agents", {
        method: "POST",
        json: { url: a2a.url },
      });
      assertEquals(research.status, 201, JSON.stringify(research.body));
      const api = await orch.api<Json>("/api/agents", {
        method: "POST",
        json: {
          name: "DataAgent",
          agent_type: "api",
          endpoint: apiAgent.url,
          capabilities: ["summarization", "analysis", "extraction"],
        },
      });
      assertEquals(api.status, 201, JSON.stringify(api.body));
      const ask = async (description: string, session_id?: string) => {
        const created = await orch.api<Json>("/api/tasks", {
          method: "POST",
          json: { description, ...(session_id && { session_id }) },
        });
        assertEquals(created.status, 201, JSON.stringify(created.body));
        const task = await orch.waitForTask(created.body.task_id, 30_000) as Json;
        assertEquals(task.status, "completed", JSON.stringify(task.error));
        return task;
      };

      // The numbers go to the API agent's analyze as data: the trend comes back.
      const numbers = await ask("Analyze these numbers: 12, 15, 9, 30, 22 and tell me the trend");
      assertEquals(numbers.steps.map((s: Json) => s.capability), ["analysis"]);
      assertEquals(numbers.steps[0].agent_name, "DataAgent");
      assertStringIncludes(numbers.result.summary, "trend up (+3.5 per step)");
      assertStringIncludes(numbers.result.summary, "mean 17.6");
      assert(numbers.result.summary.endsWith(OFFLINE_NOTICE), "the offline answer says so");
      const session = numbers.session_id;

      // A follow-up works on the earlier answer, not on its own words.
      const followUp = await ask("Now summarize that in one sentence", session);
      assertEquals(followUp.steps.map((s: Json) => s.capability), ["summarization"]);
      const summary = followUp.steps[0].output_data.summary as string;
      assertStringIncludes(summary, "17.6");
      assert(!/summarize that/i.test(summary), summary);
      assertEquals(
        followUp.steps[0].output_data.result.selected_count,
        1,
        "one sentence, as asked",
      );

      // An unrelated request in the same session is not mixed with the past.
      const unrelated = await ask("Compare solar and wind power", session);
      assertEquals(unrelated.steps.map((s: Json) => s.capability), ["research", "analysis"]);
      const everything = JSON.stringify(unrelated.steps.map((s: Json) => s.output_data));
      for (const earlier of ["17.6", "3.5", "trend", "12, 15"]) {
        assert(!everything.includes(earlier), `"${earlier}" leaked into: ${everything}`);
      }
      assertStringIncludes(unrelated.result.summary, "solar and wind power");

      // A summary of a topic with no material: research first; offline, said in one sentence.
      const topic = await ask("Summarize the benefits of AI");
      assertEquals(topic.steps.map((s: Json) => s.capability), ["research", "summarization"]);
      assertEquals(topic.steps[1].dependencies, [1]);
      const researched = topic.steps[0].output_data;
      assertEquals(researched.noMaterial, true, JSON.stringify(researched));
      assertStringIncludes(researched.summary, "without a language model");
      const answer = topic.result.summary.replace(OFFLINE_NOTICE, "").trim();
      assertEquals(answer.split(/(?<=\.)\s/).length, 1, `one plain sentence: ${answer}`);
      assertStringIncludes(answer, "nothing to summarize");
      assert(!/\bwords?\b.*\bsentences?\b/.test(answer), `no statistics of its words: ${answer}`);

      // The agent's name stays on the past steps after the agent is removed.
      assertEquals(
        (await orch.api(`/api/agents/${api.body.id}`, { method: "DELETE" })).status,
        200,
      );
      const past = await orch.api<Json>(`/api/tasks/${numbers.id}`);
      assertEquals(past.body.steps[0].agent_name, "DataAgent");
    } finally {
      await orch.close();
      await apiAgent.close();
      await a2a.close();
    }
  },
);
