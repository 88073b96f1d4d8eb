/**
 * The report contract the orchestrator relies on: the "report" artifact's data part and the body
 * of `POST /process` carry exactly this object.
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
}).openapi("Report");

export type Report = z.infer<typeof ReportSchema>;

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
