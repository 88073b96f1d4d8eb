/**
 * Clarify: a request that gives the agent nothing to work on ("Research it", with no subject in
 * its words, no material and no earlier turns to point at) stops the graph with LangGraph's
 * `interrupt()` and a question; the user's answer, given on resume, becomes its subject.
 */
import { interrupt, type LangGraphRunnableConfig } from "@langchain/langgraph";
import { clip, hasMaterial, REQUEST_WORDS, STOPWORDS, tokenize } from "@app/lib/text";
import type { ResearchInput } from "../report.ts";
import { collectSources } from "./gather.ts";

/**
 * Words that stand for a subject without naming one ("research the topic", "the thing").
 * Kept short on purpose: asking when a request did name something costs the user a turn.
 */
const VAGUE_WORDS = new Set(
  (
    "thing things stuff topic topics subject subjects something anything everything matter " +
    "please pls kindly"
  ).split(" "),
);

/** Where a run says it may ask: only a run with a thread (and so a checkpointer) can. */
export const ASKING_CONFIG_KEY = "asking";

/** Whether the instruction names a subject: any word that is not request or filler. */
export function namesASubject(instruction: string): boolean {
  return tokenize(instruction).some((word) =>
    !STOPWORDS.has(word) && !REQUEST_WORDS.has(word) && !VAGUE_WORDS.has(word) &&
    (word.length >= 2 || /\p{N}/u.test(word))
  );
}

/**
 * True when there is nothing to work on: the instruction names no subject, and neither the
 * message, the caller's data nor the conversation it continues brings material.
 */
export function missingSubject(input: ResearchInput): boolean {
  if (namesASubject(input.instruction)) return false;
  return collectSources(input).every((source) => source.origin === "instruction");
}

export function subjectQuestion(instruction: string): string {
  return `What should I work on? "${clip(instruction, 80)}" names no subject, and there is ` +
    "no earlier conversation or text it could refer to. Please name the subject, or paste " +
    "the text.";
}

const BLANK_ANSWER_QUESTION = "The answer was empty. What subject should I work on?";

/** The request with the user's answer as its subject (and as material, when it is a text). */
export function withSubject(input: ResearchInput, answer: string): ResearchInput {
  const stem = input.instruction.trim().replace(/[\s.!?:;,]+$/, "");
  return {
    ...input,
    instruction: stem ? `${stem}: ${answer}` : answer,
    texts: hasMaterial(answer) ? [...input.texts, answer] : input.texts,
  };
}

/**
 * The input to work on: as given, or, when it has no subject and the run may ask, with the
 * answer to the question as its subject. On the first pass `interrupt()` stops the run here;
 * on resume the node runs again and `interrupt()` returns the answer. A blank answer is asked
 * again, by a second `interrupt()` (LangGraph hands each its own answer, in order).
 */
export function clarifiedInput(
  input: ResearchInput,
  config: LangGraphRunnableConfig,
): ResearchInput {
  if (config.configurable?.[ASKING_CONFIG_KEY] !== true || !missingSubject(input)) return input;
  let question = subjectQuestion(input.instruction);
  while (true) {
    const answer = interrupt<string, unknown>(question);
    const text = typeof answer === "string" ? answer.trim() : "";
    if (text) return withSubject(input, text);
    question = BLANK_ANSWER_QUESTION;
  }
}
