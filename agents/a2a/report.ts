/**
 * The report contract the orchestrator relies on: the body of `POST /process` carries exactly
 * this object (snake_case, the original Python API's fields); the "report" artifact's data part
 * carries the same in camelCase, as all A2A JSON is (`a2aReport`).
 */
import { z } from "@hono/zod-openapi";

export const ReportSchema = z.object({
  summary: z.string(),
  insights: z.array(z.string()),
  findings: z.array(z.string()),
  open_questions: z.array(z.string()),
  keywords: z.array(z.string()),
  offline: z.boolean(),
  model: z.string().optional(),
  no_material: z.boolean().optional().openapi({
    description: "True when the request brought nothing to work on: `summary` says so.",
  }),
}).openapi("Report");

export type Report = z.infer<typeof ReportSchema>;

/** The report as the A2A "report" artifact's data part: the same fields, in camelCase. */
export function a2aReport(report: Report): Record<string, unknown> {
  return {
    summary: report.summary,
    insights: report.insights,
    findings: report.findings,
    openQuestions: report.open_questions,
    keywords: report.keywords,
    offline: report.offline,
    ...(report.model !== undefined && { model: report.model }),
    ...(report.no_material && { noMaterial: true }),
  };
}

/** One earlier turn of a conversation, as the orchestrator sends `history`. */
export interface Turn {
  role: string;
  content: string;
}

/** What a request asks the graph to work on, whichever door (A2A or REST) it came in by. */
export interface ResearchInput {
  /** The instruction: what to research or analyse. */
  instruction: string;
  /** Further text parts of the message. */
  texts: string[];
  /** The caller's data: `{task?, input?, context?, history?, ...}`. */
  data: Record<string, unknown>;
  /** Earlier turns of the same A2A context (or REST session). */
  conversation: Turn[];
}
