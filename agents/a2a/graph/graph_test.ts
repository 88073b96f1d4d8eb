import { assert, assertEquals, assertNotEquals, assertStringIncludes } from "@app/lib/assert";
import { buildResearchGraph, runResearch } from "./build.ts";
import { answerLines } from "./model.ts";
import { collectSources } from "./gather.ts";
import type { ResearchInput } from "../report.ts";

const graph = buildResearchGraph({ llm: null });

const input = (instruction: string, data: Record<string, unknown> = {}): ResearchInput => ({
  instruction,
  texts: [],
  data,
  conversation: [],
});

const SOLAR = input("Research solar adoption in Germany and its costs.", {
  context: {
    "1": {
      summary: "Germany installed 14 GW of solar capacity in 2023. The Energiewende policy " +
        "drove adoption. Module costs fell by 40% since 2015 according to Fraunhofer ISE.",
      insights: ["Rooftop solar grew fastest in Bavaria."],
      a2a_task_id: "ignored-bookkeeping",
    },
  },
});

Deno.test("[a2a] graph offline: the same input gives the same report", async () => {
  const first = await runResearch(graph, SOLAR);
  const second = await runResearch(graph, structuredClone(SOLAR));
  assertEquals(first, second);
  assertEquals(first.offline, true);
  assertEquals(first.model, undefined);
  assertStringIncludes(first.summary, "without a language model");
});

Deno.test("[a2a] graph offline: the report comes from the input's material", async () => {
  const report = await runResearch(graph, SOLAR);
  assertEquals(report.keywords.slice(0, 2), ["solar", "adoption"]);
  assertEquals(report.findings[0], "Germany installed 14 GW of solar capacity in 2023.");
  assertStringIncludes(report.insights.join(" "), "14 GW");
  assertStringIncludes(report.insights.join(" "), "40%");
  assertStringIncludes(report.insights.join(" "), "Fraunhofer ISE");
  assertStringIncludes(report.insights.join(" "), "Energiewende");
  assert(!JSON.stringify(report).includes("ignored-bookkeeping"));
});

Deno.test("[a2a] graph offline: a different input gives a different report", async () => {
  const solar = await runResearch(graph, SOLAR);
  const wine = await runResearch(
    graph,
    input("Analyse wine exports from Chile.", {
      input: "Chile exported 800 million litres of wine in 2022. Concha y Toro leads exports.",
    }),
  );
  assertNotEquals(wine.summary, solar.summary);
  assertNotEquals(wine.keywords, solar.keywords);
  assert(wine.keywords.includes("wine"));
  assertStringIncludes(wine.findings.join(" "), "800 million");
});

Deno.test("[a2a] graph offline: questions the material does not touch stay open", async () => {
  const report = await runResearch(
    graph,
    input("Research volcanoes and glaciers in Iceland.", {
      input: "Iceland has many active volcanoes. Eruptions are frequent near Reykjanes.",
    }),
  );
  assert(
    report.open_questions.some((q) => q.includes("glaciers")),
    `glaciers should be open: ${report.open_questions}`,
  );
  assert(!report.open_questions.some((q) => q.includes("volcanoes")));
});

Deno.test("[a2a] gather: instruction, parts, data, history and conversation, no duplicates", () => {
  const sources = collectSources({
    instruction: "Do it.",
    texts: ["More text."],
    data: {
      task: "The whole task.",
      history: [{ role: "user", content: "Earlier question." }],
      context: { "2": { summary: "Step two said this.", findings: ["A finding."] } },
      capability: "research",
    },
    conversation: [{ role: "agent", content: "Earlier answer." }, {
      role: "user",
      content: "Do it.",
    }],
  });
  assertEquals(sources.map((s) => s.origin), [
    "instruction",
    "message.0",
    "conversation.agent",
    // The task is the request the instruction came from: what to do, not material.
    "history.user",
    "context.2.summary",
    "context.2.findings",
  ]);
});

Deno.test("[a2a] model answers: one line each, without bullets, numbers or headings", () => {
  assertEquals(answerLines("## Plan\n- What grew?\n\n2) Who paid?\n* Why now"), [
    "Plan",
    "What grew?",
    "Who paid?",
    "Why now",
  ]);
});

Deno.test("[a2a] graph offline: no material but the instruction is said in one plain sentence", async () => {
  const report = await runResearch(
    graph,
    input("Research the benefits of AI", {
      task: "Summarize the benefits of AI",
      input: "",
    }),
  );
  assertEquals(report.no_material, true);
  assertEquals(report.findings, []);
  assertStringIncludes(report.summary, 'I cannot research "Research the benefits of AI" offline');
});

Deno.test("[a2a] graph: earlier turns are material only when the orchestrator says it is a follow-up", () => {
  const history = [
    { role: "user", content: "Analyze 12, 15, 9" },
    { role: "assistant", content: "The numbers trend up by 3.5 per step." },
  ];
  const unrelated = collectSources({
    ...input("Compare solar and wind power", { history, follow_up: false }),
    conversation: [{ role: "agent", content: "Solar is cheap." }],
  });
  assertEquals(unrelated.map((s) => s.origin), ["instruction"]);
  const followUp = collectSources({
    ...input("Explain that further", { history, follow_up: true }),
    conversation: [{ role: "agent", content: "Solar is cheap." }],
  });
  assertEquals(followUp.map((s) => s.origin), [
    "instruction",
    "conversation.agent",
    "history.user",
    "history.assistant",
  ]);
});
