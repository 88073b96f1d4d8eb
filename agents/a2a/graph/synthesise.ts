/** Synthesise: the report, its summary written by the model or composed from the analysis. */
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import type { Report } from "../report.ts";
import type { Analysis, ResearchStateType, ResearchUpdate, Source } from "./state.ts";
import { clip } from "@app/lib/text";
import { ask, modelName, type NodeDeps } from "./model.ts";

/** Whether anything besides the instruction came to work on. */
function hasMaterial(sources: Source[]): boolean {
  return sources.some((s) => s.origin !== "instruction");
}

export function offlineSummary(instruction: string, analysis: Analysis): string {
  const themes = analysis.keywords.slice(0, 3).map((k) => k.word);
  const parts = [`Offline report on "${clip(instruction, 100)}", made without a language model.`];
  if (themes.length) parts.push(`Key themes: ${themes.join(", ")}.`);
  if (analysis.findings.length) {
    parts.push(
      `Most relevant: ${analysis.findings.slice(0, 2).map((f) => clip(f, 200)).join(" ")}`,
    );
  }
  if (analysis.open_questions.length) {
    parts.push(`${analysis.open_questions.length} question(s) remain open.`);
  }
  return parts.join(" ");
}

/** Offline with nothing but the instruction: one plain sentence, not statistics of its words. */
export function noMaterialSentence(instruction: string): string {
  return `I cannot research "${clip(instruction, 120)}" offline: without a language model I ` +
    "can only work on material I am given (text, numbers or an earlier answer), and this " +
    "request brings none.";
}

export function createSynthesiseNode({ llm }: NodeDeps) {
  return async function synthesise(
    state: ResearchStateType,
    config: LangGraphRunnableConfig,
  ): Promise<ResearchUpdate> {
    const analysis = state.analysis!;
    const base = {
      insights: analysis.insights,
      findings: analysis.findings,
      open_questions: analysis.open_questions,
      keywords: analysis.keywords.map((k) => k.word),
    };
    if (!llm && !hasMaterial(state.sources)) {
      const report: Report = {
        summary: noMaterialSentence(state.input.instruction),
        insights: [],
        findings: [],
        open_questions: [],
        keywords: [],
        offline: true,
        no_material: true,
      };
      return { report };
    }
    if (!llm) {
      const report: Report = {
        summary: offlineSummary(state.input.instruction, analysis),
        ...base,
        offline: true,
      };
      return { report };
    }
    const summary = await ask(
      llm,
      "You write the summary of a research report: 3 to 5 plain sentences that answer the " +
        "task from the findings and insights. No headings, no lists.",
      `Task: ${state.input.instruction}\n\nInsights:\n${analysis.insights.join("\n")}\n\n` +
        `Findings:\n${analysis.findings.join("\n")}`,
      config,
    );
    const report: Report = {
      summary: summary || offlineSummary(state.input.instruction, analysis),
      ...base,
      offline: false,
      model: modelName(llm),
    };
    return { report };
  };
}
