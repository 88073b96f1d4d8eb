/**
 * The planner with an LLM, against a fake OpenAI-compatible server driven by the real
 * `@langchain/openai` client: a valid plan is used; an invalid one (unknown capability, a
 * dependency loop, garbage) falls back to the deterministic planner and says so in the events.
 */
import { assert, assertEquals, assertStringIncludes } from "@app/lib/assert";
import { dbTest } from "@app/db/testing";
import { startFakeOpenAI } from "@app/lib/testing/fake_openai";
import { startScriptedAgent } from "./helpers/scripted_agent.ts";
import { startOrchestrator } from "./helpers/orchestrator.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

dbTest(
  "[planner] an LLM plan is validated and used; an invalid one falls back, on record",
  async ({ url }) => {
    const plans: unknown[] = [
      {
        steps: [
          { description: "Research solar", capability: "research", dependencies: [] },
          { description: "Research wind", capability: "research", dependencies: [] },
          { description: "Summarize both", capability: "summarization", dependencies: [1, 2] },
        ],
      },
      { steps: [{ description: "Paint it", capability: "painting", dependencies: [] }] },
      {
        steps: [
          { description: "A", capability: "research", dependencies: [2] },
          { description: "B", capability: "research", dependencies: [1] },
        ],
      },
    ];
    const llm = startFakeOpenAI({ reply: (_, i) => ({ json: plans[i] ?? { nonsense: true } }) });
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
      const good = await orch.api<Json>("/api/tasks", {
        method: "POST",
        json: { description: "Compare solar and wind energy for me" },
      });
      assertEquals(good.body.plan.planner, "llm");
      assertEquals(
        good.body.plan.steps.map((s: Json) => [s.description, s.dependencies, s.agent_name]),
        [
          ["Research solar", [], "Both"],
          ["Research wind", [], "Both"],
          ["Summarize both", [1, 2], "Both"],
        ],
      );
      // The model was told the agents and capabilities it may use.
      const prompt = JSON.stringify(llm.chatRequests[0].messages);
      assertStringIncludes(prompt, "Both");
      assertStringIncludes(prompt, "summarization");
      const done = await orch.waitForTask(good.body.task_id) as Json;
      assertEquals(done.status, "completed");

      for (
        const [description, reason] of [
          ["Research paint and summarize it", "painting"],
          ["Research loops and summarize them", "loop"],
          ["Research garbage and summarize it", ""],
        ]
      ) {
        const fallback = await orch.api<Json>("/api/tasks", {
          method: "POST",
          json: { description },
        });
        assertEquals(fallback.body.plan.planner, "deterministic", description);
        assertEquals(fallback.body.plan.steps.map((s: Json) => s.capability), [
          "research",
          "summarization",
        ]);
        const events = await orch.api<string>(
          `/api/tasks/${fallback.body.task_id}/events?after=0`,
          {
            signal: AbortSignal.timeout(5_000),
          },
        );
        assert(events.body.includes("event: plan.fallback"), `${description}: fallback recorded`);
        assertStringIncludes(events.body, reason);
      }
      assertEquals(llm.chatRequests.length, 4, "one request per plan");
    } finally {
      await orch.close();
      await agent.close();
      await llm.close();
    }
  },
);
