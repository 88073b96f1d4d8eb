/** Analyse: keywords, entities, figures and the best-supported sentences of the material; with
 * a model, its insights and findings replace the deterministic ones. */
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import type { Analysis, ResearchStateType, ResearchUpdate, Source } from "./state.ts";
import { ask, type NodeDeps } from "./model.ts";
import {
  clip,
  contentWords,
  findCapitalisedPhrases,
  findFigures,
  mostMentioned,
  rankSentences,
  REQUEST_WORDS,
  splitSentences,
  weightedKeywords,
} from "@app/lib/text";

// Words the planner's question templates add; they say nothing about the subject.
const QUESTION_FILLER = new Set(["material", "role", "play", "say"]);

/** The passages to analyse: everything but the instruction, unless there is nothing else. */
export function materialOf(sources: Source[]): Source[] {
  const material = sources.filter((s) => s.origin !== "instruction");
  return material.length ? material : sources;
}

export function analyseOffline(instruction: string, sources: Source[], questions: string[]) {
  const material = materialOf(sources);
  const texts = material.map((s) => s.text);
  // The instruction says what matters, so its terms weigh double.
  // Its own words ("research", "summarize", "findings") name the job, not the subject.
  const keywords = weightedKeywords([
    { text: instruction, weight: 2 },
    ...material.filter((s) => s.origin !== "instruction").map((s) => ({ text: s.text })),
  ], { limit: 10, skip: REQUEST_WORDS });
  const sentences = texts.flatMap(splitSentences);
  const ranked = rankSentences(sentences, keywords, REQUEST_WORDS).filter((r) => r.score > 0);
  const names = findCapitalisedPhrases(texts.join("\n\n"), { vocabulary: [instruction] });
  const entities = mostMentioned(names, 8);
  const figures = findFigures(texts);
  const materialTerms = new Set(sentences.flatMap((s) => contentWords(s)));
  const open = questions.filter((q) => {
    const terms = contentWords(q, REQUEST_WORDS).filter((t) => !QUESTION_FILLER.has(t));
    return terms.length > 0 && !terms.some((t) => materialTerms.has(t));
  });

  const insights: string[] = [];
  if (keywords.length) {
    insights.push(
      `Main themes: ${keywords.slice(0, 4).map((k) => `${k.word} (${k.weight})`).join(", ")}.`,
    );
  }
  if (entities.length) insights.push(`Named in the material: ${entities.slice(0, 5).join(", ")}.`);
  if (figures.length) insights.push(`Figures cited: ${figures.slice(0, 5).join(", ")}.`);
  const origins = [...new Set(material.map((s) => s.origin.split(".")[0]))];
  insights.push(
    `${sentences.length} sentence(s) from ${material.length} passage(s) (${origins.join(", ")}); ` +
      `${questions.length - open.length} of ${questions.length} planned question(s) find support.`,
  );

  const analysis: Analysis = {
    keywords,
    entities,
    figures,
    ranked: ranked.map((r) => r.sentence),
    insights,
    findings: ranked.slice(0, 5).map((r) => clip(r.sentence, 300)),
    open_questions: open,
  };
  return analysis;
}

/** Lines of the form `INSIGHT: ...`, `FINDING: ...`, `OPEN: ...` from the model's answer. */
export function parseTagged(answer: string): Record<"insight" | "finding" | "open", string[]> {
  const out = { insight: [] as string[], finding: [] as string[], open: [] as string[] };
  for (const line of answer.split("\n")) {
    const match = line.match(/^\s*(?:[-*•]\s*)?\**(INSIGHT|FINDING|OPEN)\**\s*[:\-]\s*(.+)$/i);
    if (match) out[match[1].toLowerCase() as keyof typeof out].push(match[2].trim());
  }
  return out;
}

export function createAnalyseNode({ llm }: NodeDeps) {
  return async function analyse(
    state: ResearchStateType,
    config: LangGraphRunnableConfig,
  ): Promise<ResearchUpdate> {
    const base = analyseOffline(state.input.instruction, state.sources, state.questions);
    if (!llm) return { analysis: base };
    const notes = state.sources.filter((s) => s.origin === "model_notes").map((s) => s.text);
    const answer = await ask(
      llm,
      "You analyse research material. Reply only with lines starting with INSIGHT: (what the " +
        "material means), FINDING: (a concrete fact from it) or OPEN: (a question it leaves " +
        "unanswered).",
      `Task: ${state.input.instruction}\n\nQuestions:\n${state.questions.join("\n")}\n\n` +
        `Key sentences:\n${base.ranked.slice(0, 15).join("\n")}\n\nNotes:\n${notes.join("\n")}`,
      config,
    );
    const tagged = parseTagged(answer);
    return {
      analysis: {
        ...base,
        insights: tagged.insight.length ? tagged.insight : base.insights,
        findings: tagged.finding.length ? tagged.finding : base.findings,
        open_questions: tagged.open.length ? tagged.open : base.open_questions,
      },
    };
  };
}
