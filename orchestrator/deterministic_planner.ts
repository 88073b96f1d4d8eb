/**
 * The planner used without an LLM (and when an LLM's plan is invalid): split the request into
 * clauses, map each clause's verbs to a capability, and chain the clauses into phases. Clauses
 * of one capability in a row, without "then", are independent and run in parallel; each new
 * phase depends on every step of the phase before it.
 */
import type { Capability } from "@app/lib/capabilities";

export interface DraftStep {
  step_number: number;
  description: string;
  capability: string;
  dependencies: number[];
  /** Arguments for a step done by a tool (an MCP agent's), when the plan gives them. */
  input?: Record<string, unknown>;
}

/** The words that ask for each capability (the names are lib/capabilities.ts's). */
const CAPABILITY_VERBS: Record<Capability, RegExp> = {
  summarization:
    /\b(summari[sz]\w*|summary|summaries|brief\w*|condens\w*|recap\w*|tl;?dr|digest)\b/i,
  analysis:
    /\b(analy[sz]\w*|compar\w*|evaluat\w*|statistic\w*|assess\w*|examin\w*|measur\w*|calculat\w*|quantif\w*|benchmark\w*)\b/i,
  extraction: /\b(extract\w*|pull out|list (all|the) (names|dates|numbers|keywords))\b/i,
  research:
    /\b(research\w*|find\w*|investigat\w*|search\w*|look(ing)? (up|into)|explor\w*|discover\w*|gather\w*|learn|study|studies|review\w*|survey\w*|identify\w*)\b/i,
};

/** The capability a clause asks for, by the earliest verb it contains; undefined if none. */
export function capabilityOf(clause: string): Capability | undefined {
  let best: { capability: Capability; index: number } | undefined;
  for (const [capability, pattern] of Object.entries(CAPABILITY_VERBS) as [Capability, RegExp][]) {
    const match = pattern.exec(clause);
    if (match && (!best || match.index < best.index)) best = { capability, index: match.index };
  }
  return best?.capability;
}

interface Clause {
  text: string;
  /** Starts a new phase even if the capability is unchanged ("then", "after that"). */
  sequential: boolean;
}

const THEN = /^(?:and\s+)?(?:then|after\s+that|afterwards|finally|next|lastly)\b[,:]?\s*/i;

/** Splits a request into clauses: list items, sentences, ";", "and then", "then". */
export function splitClauses(request: string): Clause[] {
  const lines = request.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const listItem = /^(?:\d+[.)]|[-*•])\s+/;
  const pieces: string[] = [];
  for (const line of lines) {
    if (listItem.test(line)) {
      pieces.push(line.replace(listItem, ""));
      continue;
    }
    // Sentences (keeping decimals like 2.5 intact), then semicolons.
    for (const sentence of line.split(/(?<=[.!?])\s+(?=[A-Z0-9"'(])/)) {
      pieces.push(...sentence.split(/\s*;\s*/));
    }
  }
  const clauses: Clause[] = [];
  for (const piece of pieces) {
    // ", then" / "and then" / " then " inside a sentence.
    const parts = piece.split(/\s*(?:,\s*)?\b(?=(?:and\s+)?then\b)/i);
    for (const raw of parts) {
      const sequential = THEN.test(raw.trim());
      const text = raw.trim().replace(THEN, "").replace(/[.;,\s]+$/, "").trim();
      if (text) clauses.push({ text, sequential });
    }
  }
  // "Research X and summarize it": split on "and" when a new capability verb follows it.
  const split: Clause[] = [];
  for (const clause of clauses) {
    const andParts = clause.text.split(/\s*,?\s+and\s+(?=\S)/i);
    let current = andParts[0];
    let sequential = clause.sequential;
    for (const next of andParts.slice(1)) {
      const nextCapability = capabilityOf(next.split(/\s+/).slice(0, 3).join(" "));
      if (nextCapability && capabilityOf(current)) {
        split.push({ text: current, sequential });
        current = next;
        sequential = nextCapability !== capabilityOf(current);
      } else {
        current = `${current} and ${next}`;
      }
    }
    split.push({ text: current, sequential });
  }
  return split;
}

function sentenceCase(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Drafts steps from a request. Clauses without a capability verb are folded into the step
 * before them (or become research when they come first); `available` lets the caller fall back
 * to a capability some agent actually has.
 */
export function draftSteps(request: string, available?: Set<string>): DraftStep[] {
  const clauses = splitClauses(request);
  const drafts: { text: string; capability: Capability; sequential: boolean }[] = [];
  for (const clause of clauses) {
    const capability = capabilityOf(clause.text);
    if (!capability && drafts.length) {
      drafts[drafts.length - 1].text += `. ${clause.text}`;
      continue;
    }
    drafts.push({
      text: clause.text,
      capability: capability ?? "research",
      sequential: clause.sequential,
    });
  }
  if (!drafts.length) {
    drafts.push({ text: request.trim(), capability: "research", sequential: false });
  }

  const steps: DraftStep[] = [];
  let previousPhase: number[] = [];
  let currentPhase: number[] = [];
  let phaseCapability: string | undefined;
  drafts.forEach((draft, index) => {
    const capability = available && available.size && !available.has(draft.capability)
      ? fallbackCapability(draft.capability, available)
      : draft.capability;
    const newPhase = index === 0 || draft.sequential || capability !== phaseCapability;
    if (newPhase && index > 0) {
      previousPhase = currentPhase;
      currentPhase = [];
    }
    phaseCapability = capability;
    const step_number = steps.length + 1;
    steps.push({
      step_number,
      description: sentenceCase(draft.text),
      capability,
      dependencies: [...previousPhase],
    });
    currentPhase.push(step_number);
  });
  return steps;
}

const RELATED: Record<Capability, Capability[]> = {
  research: ["analysis", "summarization"],
  analysis: ["research", "summarization"],
  summarization: ["analysis", "research"],
  extraction: ["analysis", "research"],
};

function fallbackCapability(wanted: Capability, available: Set<string>): string {
  return RELATED[wanted].find((c) => available.has(c)) ?? wanted;
}
