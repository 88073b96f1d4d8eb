/**
 * What a step works on: the outputs of the steps it depends on; for a first step, the earlier
 * answer when the request refers back to it ("summarize that"), else the material the request
 * itself brings (pasted text, a series of numbers). A request that does not refer back gets
 * nothing from the past; one that brings nothing gets an empty text.
 */
import type { JsonObject } from "@app/db";
import { withoutOfflineNotice } from "@app/lib/offline_notice";
import { numberSeries, refersBack, requestMaterial } from "@app/lib/text";

export interface StepMaterialRequest {
  task: { description: string };
  step: { description: string };
  dependencies: Record<string, JsonObject>;
  history: { role: string; content: string }[];
}

export interface StepMaterial {
  /** Text to work on; "" when there is none. */
  text: string;
  /** Numbers to analyse as data; [] when there are none. */
  numbers: number[];
  from: "dependencies" | "earlier answer" | "request" | "nothing";
}

/** The text a step's output says: its summary, findings and insights. */
export function outputText(output: JsonObject): string {
  const summary = typeof output.summary === "string" ? output.summary : "";
  const strings = (value: unknown) =>
    Array.isArray(value) ? value.filter((v) => typeof v === "string").join(" ") : "";
  return [summary, strings(output.findings), strings(output.insights)].filter(Boolean).join(" ");
}

/** The conversation's last answer before the newest request, without its offline notice. */
export function earlierAnswer(history: StepMaterialRequest["history"]): string | undefined {
  const answer = history.findLast((m) => m.role === "assistant" || m.role === "agent");
  return answer ? withoutOfflineNotice(answer.content) : undefined;
}

export function stepMaterial(request: StepMaterialRequest): StepMaterial {
  const outputs = Object.values(request.dependencies);
  if (outputs.length) {
    // An output that says it had nothing to work on is not material for the next step.
    const text = outputs.filter((o) => o.no_material !== true && o.noMaterial !== true)
      .map(outputText)
      .filter(Boolean).join("\n\n");
    const numbers = numberSeries(text, 3);
    return {
      text,
      numbers: numbers.length ? numbers : requestNumbers(request),
      from: "dependencies",
    };
  }
  const earlier = earlierAnswer(request.history);
  if (
    earlier && (refersBack(request.step.description) || refersBack(request.task.description))
  ) {
    return { text: earlier, numbers: numberSeries(earlier, 3), from: "earlier answer" };
  }
  const own = requestMaterial(request.task.description);
  const from = own.text || own.numbers.length ? "request" : "nothing";
  return { ...own, from };
}

function requestNumbers(request: StepMaterialRequest): number[] {
  return requestMaterial(request.task.description).numbers;
}

const COUNTS: Record<string, number> = {
  one: 1,
  a: 1,
  single: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
};

/** "in one sentence", "in 2 sentences": how many sentences a summary step asks for. */
export function sentencesAsked(text: string): number | undefined {
  const match = text.match(/\bin (?:a single|(one|a|two|three|four|five|\d{1,2})) sentences?\b/i);
  if (!match) return undefined;
  const word = (match[1] ?? "single").toLowerCase();
  const count = COUNTS[word] ?? Number(word);
  return count >= 1 && count <= 50 ? count : undefined;
}
