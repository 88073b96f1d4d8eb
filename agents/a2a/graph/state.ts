/** The graph's state, declared once; list channels append through reducers. */
import { Annotation } from "@langchain/langgraph";
import type { WeightedKeyword } from "@app/lib/text";
import type { Report, ResearchInput } from "../report.ts";

/** A passage of material with where it came from (`instruction`, `context.step_1`, ...). */
export interface Source {
  origin: string;
  text: string;
}

export interface Analysis {
  keywords: WeightedKeyword[];
  entities: string[];
  figures: string[];
  /** Material sentences, best first. */
  ranked: string[];
  insights: string[];
  findings: string[];
  open_questions: string[];
}

const append = <T>() => ({
  reducer: (left: T[], right: T[]) => left.concat(right),
  default: (): T[] => [],
});

// Null until a node sets it. A plain channel would start empty, and LangGraph reads every
// channel at every step, throwing (and catching) an error for each empty one: about a tenth of
// an offline run's cost.
const latest = <T>() => ({
  reducer: (_left: T | null, right: T | null) => right,
  default: (): T | null => null,
});

export const ResearchState = Annotation.Root({
  input: Annotation<ResearchInput>,
  questions: Annotation<string[]>(append<string>()),
  sources: Annotation<Source[]>(append<Source>()),
  analysis: Annotation<Analysis | null>(latest<Analysis>()),
  report: Annotation<Report | null>(latest<Report>()),
});

export type ResearchStateType = typeof ResearchState.State;
export type ResearchUpdate = typeof ResearchState.Update;
