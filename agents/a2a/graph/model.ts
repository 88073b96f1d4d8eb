/** How nodes talk to the chat model: one plain-text request per node, cancellable. */
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { LangGraphRunnableConfig } from "@langchain/langgraph";

export interface NodeDeps {
  /** Null offline: nodes then do their deterministic work only. */
  llm: BaseChatModel | null;
}

/** Plain text in, plain text out: every OpenAI-compatible server (Groq, Ollama...) can do it,
 * unlike JSON-schema output, which many open models refuse. */
export async function ask(
  llm: BaseChatModel,
  system: string,
  user: string,
  config: LangGraphRunnableConfig,
): Promise<string> {
  const answer = await llm.invoke([
    { role: "system", content: system },
    { role: "user", content: user },
  ], { signal: config.signal });
  const content = answer.content;
  if (typeof content === "string") return content.trim();
  return content
    .map((part) => (typeof part === "object" && "text" in part ? String(part.text) : ""))
    .join("")
    .trim();
}

/** The model's name as the report shows it. */
export function modelName(llm: BaseChatModel): string {
  const named = llm as unknown as { model?: unknown; modelName?: unknown };
  if (typeof named.model === "string" && named.model) return named.model;
  if (typeof named.modelName === "string" && named.modelName) return named.modelName;
  return llm._llmType();
}

/** The lines of a model's answer without bullets, numbering or heading marks. */
export function answerLines(text: string): string[] {
  return text
    .split(/\n+/)
    .map((line) => line.replace(/^\s*(?:[-*•]|\d+[.)]|#+)\s*/, "").trim())
    .filter(Boolean);
}
