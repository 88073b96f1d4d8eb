import { assertEquals } from "@app/lib/assert";
import { capabilityOf, draftSteps, splitClauses } from "./deterministic_planner.ts";

const brief = (request: string, available?: Set<string>) =>
  draftSteps(request, available).map((s) => [s.step_number, s.capability, s.dependencies]);

Deno.test("[planner] verbs map to capabilities", () => {
  assertEquals(capabilityOf("Research recent AI developments"), "research");
  assertEquals(capabilityOf("find the best papers"), "research");
  assertEquals(capabilityOf("Compare the two vendors"), "analysis");
  assertEquals(capabilityOf("compute statistics of sales"), "analysis");
  assertEquals(capabilityOf("Summarize the benefits of AI"), "summarization");
  assertEquals(capabilityOf("give me a brief"), "summarization");
  assertEquals(capabilityOf("hello there"), undefined);
});

Deno.test("[planner] the seed's one-line requests plan into one step", () => {
  assertEquals(brief("Research recent AI developments"), [[1, "research", []]]);
  assertEquals(brief("Summarize the benefits of AI"), [[1, "summarization", []]]);
});

Deno.test("[planner] 'Research X and summarize it' is two chained steps", () => {
  const steps = draftSteps("Research AI trends and summarize it");
  assertEquals(steps.map((s) => [s.description, s.capability, s.dependencies]), [
    ["Research AI trends", "research", []],
    ["Summarize it", "summarization", [1]],
  ]);
});

Deno.test("[planner] clauses split on sentences, ';', 'then', and lists", () => {
  assertEquals(
    splitClauses("Find papers on RAG. Then compare them; summarize").map((c) => c.text),
    [
      "Find papers on RAG",
      "compare them",
      "summarize",
    ],
  );
  assertEquals(
    brief("1. Research solar power\n2. Research wind power\n3. Compare both\n- Summarize"),
    [[1, "research", []], [2, "research", []], [3, "analysis", [1, 2]], [4, "summarization", [3]]],
  );
  assertEquals(brief("Research A, then research B"), [[1, "research", []], [2, "research", [1]]]);
});

Deno.test("[planner] independent clauses share a phase; clauses without verbs fold in", () => {
  assertEquals(brief("Research Deno; research Node. Then summarize both."), [
    [1, "research", []],
    [2, "research", []],
    [3, "summarization", [1, 2]],
  ]);
  const steps = draftSteps("Research AI chips. Focus on 2025 and on NVIDIA.");
  assertEquals(steps.length, 1);
  assertEquals(steps[0].description, "Research AI chips. Focus on 2025 and on NVIDIA");
  assertEquals(brief("hello world"), [[1, "research", []]]);
});

Deno.test("[planner] a capability no agent has falls back to a related one", () => {
  assertEquals(brief("Extract the dates", new Set(["research", "analysis"])), [[
    1,
    "analysis",
    [],
  ]]);
});
