import { assertEquals } from "@app/lib/assert";
import { lacksMaterial, topicOf, withResearchFirst } from "./research_first.ts";
import { draftSteps } from "./deterministic_planner.ts";

const AGENTS = new Set(["research", "analysis", "summarization", "extraction"]);
const plan = (description: string, history: { role: string; content: string }[] = []) =>
  withResearchFirst(draftSteps(description, AGENTS), { description, history, available: AGENTS })
    .map((s) => [s.step_number, s.capability, s.description, s.dependencies]);

Deno.test("[planner] a summary of a topic with no material is researched first", () => {
  assertEquals(plan("Summarize the benefits of AI"), [
    [1, "research", "Research the benefits of AI", []],
    [2, "summarization", "Summarize the benefits of AI", [1]],
  ]);
  assertEquals(plan("Compare solar and wind power")[0][2], "Research solar and wind power");
});

Deno.test("[planner] numbers, pasted text or a research step need no research first", () => {
  assertEquals(plan("Analyze these numbers: 12, 15, 9, 30, 22 and tell me the trend").length, 1);
  assertEquals(plan("Summarize this: Solar grew fast. Wind grew too.").length, 1);
  assertEquals(plan("Research solar power adoption and summarize it").map((s) => s[1]), [
    "research",
    "summarization",
  ]);
});

Deno.test("[planner] a follow-up works on the earlier answer when the session has one", () => {
  const history = [
    { role: "user", content: "Analyze 3, 5, 8" },
    { role: "assistant", content: "Analyzed 3 values: mean 5.33." },
    { role: "user", content: "Now summarize that in one sentence" },
  ];
  assertEquals(lacksMaterial("Now summarize that in one sentence", history), false);
  assertEquals(plan("Now summarize that in one sentence", history).length, 1);
  // With nothing earlier to refer to, "that" is no material.
  assertEquals(plan("Now summarize that in one sentence").length, 2);
});

Deno.test("[planner] no research first when no agent can research", () => {
  const available = new Set(["summarization"]);
  const description = "Summarize the benefits of AI";
  const drafts = draftSteps(description, available);
  assertEquals(withResearchFirst(drafts, { description, history: [], available }), drafts);
});

Deno.test("[planner] the topic is the request without its verb", () => {
  assertEquals(topicOf("Please summarize the state of fusion power."), "the state of fusion power");
  assertEquals(topicOf("What about tides?"), "What about tides");
});
