/**
 * The material a request brings besides its instruction: text pasted after a colon or a line
 * break, a quoted passage, or the whole request when it is long prose; and a series of numbers
 * ("12, 15, 9, 30, 22"). A request with neither ("Summarize the benefits of AI") asks about a
 * topic and needs research first.
 */
import { findNumbers } from "./numbers.ts";
import { splitSentences } from "./sentences.ts";
import { tokenize } from "./words.ts";

export interface RequestMaterial {
  /** Text to work on, without the instruction; empty when the request brings none. */
  text: string;
  /** Numbers to analyse, in order; empty unless the text carries a series of them. */
  numbers: number[];
}

/** Words in a text that are not numbers. */
const wordCount = (text: string) => tokenize(text).filter((w) => /\p{L}/u.test(w)).length;

/** A passage after the instruction's colon or first line break; "" when there is none. */
function passageAfterInstruction(request: string): string {
  const colon = request.search(/:\s/);
  const newline = request.indexOf("\n");
  const cuts = [colon, newline].filter((i) => i > 0);
  if (!cuts.length) return "";
  return request.slice(Math.min(...cuts) + 1).trim();
}

function quotedPassage(request: string): string {
  const quoted = request.match(/["“«]([^"”»]{12,})["”»]/);
  return quoted ? quoted[1].trim() : "";
}

/**
 * The numbers of `text` when it cites at least `min` of them (dates excluded), else []:
 * "12, 15, 9, 30, 22" gives [12, 15, 9, 30, 22].
 */
export function numberSeries(text: string, min = 2): number[] {
  const numbers = findNumbers(text).map((n) => n.value);
  return numbers.length >= min ? numbers : [];
}

export function requestMaterial(request: string): RequestMaterial {
  const passage = passageAfterInstruction(request) || quotedPassage(request);
  const numbers = numberSeries(passage || request);
  // A passage that is mostly numbers ("12, 15, 9 and tell me the trend") is data, not text.
  const passageText = passage && wordCount(passage) >= (numbers.length ? 8 : 3) ? passage : "";
  // Long prose with an instruction in it: the whole request is the material.
  const prose = !passageText && wordCount(request) >= 40 && splitSentences(request).length >= 2
    ? request.trim()
    : "";
  return { text: passageText || prose, numbers };
}

/** Whether a request brings anything to work on besides its instruction. */
export function hasMaterial(request: string): boolean {
  const material = requestMaterial(request);
  return material.text !== "" || material.numbers.length > 0;
}
