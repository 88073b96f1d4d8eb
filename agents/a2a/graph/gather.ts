/** Gather: the material to work on, from the message's parts, the caller's data (task, input,
 * previous steps' outputs, history) and the earlier turns of this conversation. */
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import type { ResearchInput } from "../report.ts";
import type { ResearchStateType, ResearchUpdate, Source } from "./state.ts";
import { clip } from "@app/lib/text";
import { answerLines, ask, type NodeDeps } from "./model.ts";

const MAX_SOURCES = 200;
const MAX_SOURCE_CHARS = 4_000;
const MAX_PROMPT_CHARS = 12_000;
// Bookkeeping fields of previous steps' outputs: not material.
const SKIP_KEYS = new Set([
  "a2a_task_id",
  "follow_up",
  "offline",
  "model",
  "status",
  "session_id",
  "keywords",
  "capability",
  "task_id",
  "step_number",
]);

/** Strings (and labelled numbers) in a JSON value, each with its path. */
export function flatten(value: unknown, origin: string, depth = 0): Source[] {
  if (depth > 5 || value === null || value === undefined) return [];
  if (typeof value === "string") return value.trim() ? [{ origin, text: value.trim() }] : [];
  if (typeof value === "number" || typeof value === "boolean") {
    return [{ origin, text: `${origin.split(".").at(-1)}: ${value}` }];
  }
  if (Array.isArray(value)) {
    return value.flatMap((item, i) =>
      flatten(item, typeof item === "object" ? `${origin}.${i}` : origin, depth + 1)
    );
  }
  if (typeof value === "object") {
    return Object.entries(value as Record<string, unknown>)
      .filter(([key]) => !SKIP_KEYS.has(key))
      .flatMap(([key, item]) => flatten(item, `${origin}.${key}`, depth + 1));
  }
  return [];
}

/**
 * Whether the earlier turns are material. The orchestrator says so (`follow_up`: the request
 * refers back to the last answer), so an unrelated request in the same session is not mixed
 * with the past; for any other caller a message in an existing context continues it, as A2A
 * means, and the caller's history is material as given.
 */
export function usesThePast(input: ResearchInput): boolean {
  const followUp = input.data.follow_up;
  return typeof followUp === "boolean" ? followUp : true;
}

/** Every passage the request brings, the instruction first, duplicates dropped. */
export function collectSources(input: ResearchInput): Source[] {
  const { data } = input;
  const past = usesThePast(input);
  const sources: Source[] = [{ origin: "instruction", text: input.instruction }];
  input.texts.forEach((text, i) => sources.push({ origin: `message.${i}`, text }));
  if (past) {
    for (const turn of input.conversation) {
      sources.push({ origin: `conversation.${turn.role}`, text: turn.content });
    }
  }
  for (const [key, value] of Object.entries(data)) {
    // The task is the request the instruction came from: what to do, not material.
    if (SKIP_KEYS.has(key) || key === "task") continue;
    if (key === "history" && Array.isArray(value)) {
      if (!past) continue;
      for (const turn of value) {
        const t = turn as { role?: unknown; content?: unknown };
        if (typeof t?.content === "string" && t.content.trim()) {
          sources.push({ origin: `history.${String(t.role ?? "user")}`, text: t.content.trim() });
        }
      }
      continue;
    }
    sources.push(...flatten(value, key));
  }
  const seen = new Set<string>();
  return sources
    .map((s) => ({ ...s, text: clip(s.text, MAX_SOURCE_CHARS) }))
    .filter((s) => s.text && !seen.has(s.text) && seen.add(s.text))
    .slice(0, MAX_SOURCES);
}

export function createGatherNode({ llm }: NodeDeps) {
  return async function gather(
    state: ResearchStateType,
    config: LangGraphRunnableConfig,
  ): Promise<ResearchUpdate> {
    const sources = collectSources(state.input);
    if (!llm) return { sources };
    let material = "";
    for (const s of sources) {
      const line = `[${s.origin}] ${s.text}\n`;
      if (material.length + line.length > MAX_PROMPT_CHARS) break;
      material += line;
    }
    const answer = await ask(
      llm,
      "You gather facts for a research task. From the material, list the facts that help " +
        "answer the questions, one per line. If the material says nothing useful, list what " +
        "you know that is relevant, marked as background.",
      `Questions:\n${state.questions.join("\n")}\n\nMaterial:\n${material}`,
      config,
    );
    const notes = answerLines(answer).map((text) => ({ origin: "model_notes", text }));
    return { sources: [...sources, ...notes] };
  };
}
