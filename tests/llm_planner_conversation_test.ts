/**
 * The LLM planner sees the session's recent turns (so a follow-up is planned on the earlier
 * answer), and its plan for a topic with no material still gets a research step first.
 */
import { assert, assertEquals, assertStringIncludes } from "@app/lib/assert";
import { dbTest } from "@app/db/testing";
import { startFakeOpenAI } from "@app/lib/testing/fake_openai";
import { startScriptedAgent } from "./helpers/scripted_agent.ts";
import { startOrchestrator } from "./helpers/orchestrator.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

const summarizeOnly = {
  steps: [{ description: "Summarize it", capability: "summarization", dependencies: [] }],
};

dbTest(
  "[planner] the LLM planner sees the conversation; a topic is researched first",
  async ({ url }) => {
    const llm = startFakeOpenAI({ reply: () => ({ json: summarizeOnly }) });
    const agent = startScriptedAgent({ name: "Both", capabilities: ["research", "summarization"] });
    const orch = await startOrchestrator(url, {
      LLM_PROVIDER: "openai_compatible",
      OPENAI_BASE_URL: llm.url,
      LLM_MAX_RETRIES: "0",
    });
    try {
      await orch.api("/api/agents", {
        method: "POST",
        json: {
          name: "Both",
          agent_type: "api",
          endpoint: agent.url,
          capabilities: agent.capabilities,
        },
      });
      const first = await orch.api<Json>("/api/tasks", {
        method: "POST",
        json: { description: "Summarize the benefits of AI" },
      });
      assertEquals(first.body.plan.planner, "llm");
      assertEquals(first.body.plan.steps.map((s: Json) => [s.capability, s.dependencies]), [
        ["research", []],
        ["summarization", [1]],
      ]);
      const done = await orch.waitForTask(first.body.task_id) as Json;
      assertEquals(done.status, "completed");

      const followUp = await orch.api<Json>("/api/tasks", {
        method: "POST",
        json: { description: "Now summarize that in one sentence", session_id: done.session_id },
      });
      // The session has an answer to work on: no research this time.
      assertEquals(followUp.body.plan.steps.map((s: Json) => s.capability), ["summarization"]);
      const prompt = String(llm.chatRequests.at(-1)!.messages[0].content);
      assertStringIncludes(prompt, "The conversation so far");
      assertStringIncludes(prompt, "user: Summarize the benefits of AI");
      assertStringIncludes(prompt, `assistant: ${done.result.summary.slice(0, 40)}`);
      assert(!prompt.includes("Offline mode"), "the notice is not part of the conversation");
      // The first request had no conversation before it.
      assert(!JSON.stringify(llm.chatRequests[0].messages).includes("The conversation so far"));
    } finally {
      await orch.close();
      await agent.close();
      await llm.close();
    }
  },
);
