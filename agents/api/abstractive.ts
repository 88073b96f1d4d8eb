/**
 * Abstractive summarization through the configured chat model. The text is clipped to keep the
 * prompt bounded; the caller keeps the extractive summary as its fallback.
 */
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { HumanMessage, SystemMessage } from "@langchain/core/messages";

/** Characters of input sent to the model at most (about 5,000 tokens). */
export const MAX_PROMPT_CHARS = 20_000;

export interface AbstractiveRequest {
  text: string;
  maxSentences: number;
  instruction?: string;
  targetFormat?: string;
}

export interface AbstractiveSummary {
  text: string;
  model: string;
  truncated: boolean;
}

/** The model's name: ChatOpenAI's `model`, else the LangChain type ("fake", "ollama"...). */
export function modelName(llm: BaseChatModel): string {
  const model = (llm as unknown as { model?: unknown }).model;
  return typeof model === "string" && model ? model : llm._llmType();
}

/** The text of a reply whose content is a string or a list of parts. */
function replyText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content.map((part) => typeof part?.text === "string" ? part.text : "").join("");
  }
  return "";
}

export async function abstractiveSummary(
  llm: BaseChatModel,
  request: AbstractiveRequest,
  signal?: AbortSignal,
): Promise<AbstractiveSummary> {
  const truncated = request.text.length > MAX_PROMPT_CHARS;
  const text = truncated ? request.text.slice(0, MAX_PROMPT_CHARS) : request.text;
  const system = [
    "You summarize text faithfully and concisely.",
    `Write at most ${request.maxSentences} sentences as one paragraph, using only facts from ` +
    "the text. Reply with the summary only.",
    request.targetFormat ? `Format: ${request.targetFormat}.` : "",
    request.instruction ? `The requester's instruction: ${request.instruction}` : "",
  ].filter(Boolean).join("\n");
  const reply = await llm.invoke([
    new SystemMessage(system),
    new HumanMessage(`Text to summarize:\n\n${text}`),
  ], { signal });
  const summary = replyText(reply.content).trim();
  if (!summary) throw new Error("the model returned an empty summary");
  return { text: summary, model: modelName(llm), truncated };
}
