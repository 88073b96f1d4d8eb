/** Plan: the questions the research should answer, from the instruction (and the model). */
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import type { ResearchStateType, ResearchUpdate } from "./state.ts";
import {
  clip,
  findCapitalisedPhrases,
  mostMentioned,
  REQUEST_WORDS,
  splitSentences,
  weightedKeywords,
} from "@app/lib/text";
import { answerLines, ask, type NodeDeps } from "./model.ts";

const MAX_QUESTIONS = 5;

/** Questions the instruction asks outright, then one per main term and entity it names. */
export function deterministicQuestions(instruction: string): string[] {
  const asked = splitSentences(instruction).filter((s) => s.endsWith("?"));
  const entities = mostMentioned(findCapitalisedPhrases(instruction), 2);
  const terms = weightedKeywords([{ text: instruction }], { limit: 4, skip: REQUEST_WORDS })
    .map((k) => k.word)
    .filter((t) => !entities.some((e) => e.toLowerCase().includes(t)));
  const questions = [
    ...asked,
    ...terms.slice(0, 3).map((t) => `What does the material say about ${t}?`),
    ...entities.map((e) => `What role does ${e} play?`),
  ];
  if (!questions.length) questions.push(`What are the main points of: ${clip(instruction, 80)}?`);
  return [...new Set(questions)].slice(0, MAX_QUESTIONS);
}

export function createPlanNode({ llm }: NodeDeps) {
  return async function plan(
    state: ResearchStateType,
    config: LangGraphRunnableConfig,
  ): Promise<ResearchUpdate> {
    const { instruction } = state.input;
    if (!llm) return { questions: deterministicQuestions(instruction) };
    const answer = await ask(
      llm,
      "You plan a research task. Reply with 3 to 5 specific questions the research must " +
        "answer, one per line, nothing else.",
      `Task: ${instruction}`,
      config,
    );
    const questions = answerLines(answer).slice(0, MAX_QUESTIONS);
    return { questions: questions.length ? questions : deterministicQuestions(instruction) };
  };
}
