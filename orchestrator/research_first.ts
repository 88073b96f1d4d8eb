/**
 * A summary, analysis or extraction with nothing to work on ("Summarize the benefits of AI")
 * gets a research step first, whichever planner made the plan: the request brings no text or
 * numbers, and does not refer back to an earlier answer the session holds.
 */
import { hasMaterial, refersBack } from "@app/lib/text";
import type { DraftStep } from "./deterministic_planner.ts";
import { capabilityOf } from "./deterministic_planner.ts";
import { earlierAnswer } from "./step_material.ts";

/** Capabilities that work on material rather than find it. */
const NEEDS_MATERIAL = new Set(["summarization", "analysis", "extraction"]);

export type Turn = { role: string; content: string };

/** Whether the request, in this conversation, has nothing for its first steps to work on. */
export function lacksMaterial(description: string, history: Turn[]): boolean {
  if (hasMaterial(description)) return false;
  return !(refersBack(description) && earlierAnswer(history) !== undefined);
}

/** "Summarize the benefits of AI" -> "the benefits of AI": the topic without the verb. */
export function topicOf(description: string): string {
  const words = description.trim().replace(/[.?!]+$/, "").split(/\s+/);
  const verb = words.findIndex((w, i) => i < 4 && capabilityOf(w) !== undefined);
  const topic = verb >= 0 ? words.slice(verb + 1).join(" ") : words.join(" ");
  return topic || description.trim();
}

/**
 * The drafts with a research step in front when their first steps need material the request
 * lacks (and some agent can research); otherwise unchanged.
 */
export function withResearchFirst(
  drafts: DraftStep[],
  options: { description: string; history: Turn[]; available?: Set<string> },
): DraftStep[] {
  if (options.available?.size && !options.available.has("research")) return drafts;
  const roots = drafts.filter((d) => d.dependencies.length === 0);
  if (roots.some((d) => d.capability === "research")) return drafts;
  if (!roots.some((d) => NEEDS_MATERIAL.has(d.capability))) return drafts;
  if (!lacksMaterial(options.description, options.history)) return drafts;
  const research: DraftStep = {
    step_number: 1,
    description: `Research ${topicOf(roots[0].description)}`,
    capability: "research",
    dependencies: [],
  };
  return [
    research,
    ...drafts.map((d) => ({
      ...d,
      step_number: d.step_number + 1,
      dependencies: d.dependencies.length ? d.dependencies.map((n) => n + 1) : [1],
    })),
  ];
}
