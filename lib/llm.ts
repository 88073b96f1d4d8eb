/**
 * The chat model every service uses, built from config: OpenAI, Groq or any OpenAI-compatible
 * server (Ollama, vLLM, LM Studio) through `@langchain/openai`, or `null` when offline, so
 * callers take their deterministic path.
 */
import { ChatOpenAI } from "@langchain/openai";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { Config, LlmProvider } from "./config.ts";
import type { Logger } from "./logger.ts";
import { LlmCallback } from "./llm_callback.ts";

export const DEFAULT_MODELS: Record<Exclude<LlmProvider, "offline">, string> = {
  openai: "gpt-4o-mini",
  groq: "llama-3.1-8b-instant",
  // Ollama's common small default; servers that ignore the name do no harm either.
  openai_compatible: "llama3.1",
};

/** Where requests go and with which key, for a provider that is not offline. */
export interface ChatEndpoint {
  provider: Exclude<LlmProvider, "offline">;
  model: string;
  apiKey: string;
  /** Undefined means the OpenAI SDK's default (api.openai.com). */
  baseURL?: string;
}

type LlmConfig = Pick<
  Config,
  | "LLM_PROVIDER"
  | "OPENAI_API_KEY"
  | "GROQ_API_KEY"
  | "OPENAI_BASE_URL"
  | "GROQ_BASE_URL"
  | "LLM_MODEL"
  | "LLM_TIMEOUT_MS"
  | "LLM_MAX_RETRIES"
>;

/** The endpoint the config names, or null offline. Pure, so it is easy to test and log. */
export function chatEndpoint(config: LlmConfig): ChatEndpoint | null {
  const provider = config.LLM_PROVIDER;
  if (provider === "offline") return null;
  const model = config.LLM_MODEL ?? DEFAULT_MODELS[provider];
  switch (provider) {
    case "openai":
      return {
        provider,
        model,
        apiKey: required(config.OPENAI_API_KEY, "OPENAI_API_KEY"),
        baseURL: config.OPENAI_BASE_URL,
      };
    case "groq":
      return {
        provider,
        model,
        apiKey: required(config.GROQ_API_KEY, "GROQ_API_KEY"),
        baseURL: config.GROQ_BASE_URL,
      };
    case "openai_compatible":
      // Local servers usually need no key, but the OpenAI SDK refuses an empty one.
      return {
        provider,
        model,
        apiKey: config.OPENAI_API_KEY ?? "not-needed",
        baseURL: required(config.OPENAI_BASE_URL, "OPENAI_BASE_URL"),
      };
  }
}

// parseConfig already refuses these; a hand-built config must not silently go to the wrong place.
function required(value: string | undefined, name: string): string {
  if (!value) throw new Error(`LLM provider needs ${name}`);
  return value;
}

/** A ChatOpenAI for the configured provider, or null (and one log line saying so) offline. */
export function createChatModel(config: LlmConfig, logger: Logger): BaseChatModel | null {
  const endpoint = chatEndpoint(config);
  if (!endpoint) {
    logger.info("llm offline: deterministic fallbacks in use", { llm_provider: "offline" });
    return null;
  }
  logger.info("llm ready", {
    llm_provider: endpoint.provider,
    model: endpoint.model,
    base_url: endpoint.baseURL ?? "https://api.openai.com/v1",
  });
  return new ChatOpenAI({
    model: endpoint.model,
    apiKey: endpoint.apiKey,
    timeout: config.LLM_TIMEOUT_MS,
    maxRetries: config.LLM_MAX_RETRIES,
    configuration: endpoint.baseURL ? { baseURL: endpoint.baseURL } : undefined,
    // Streamed answers report their usage too (OpenAI's `stream_options.include_usage`).
    streamUsage: true,
    // Every call is a span, and its reported usage goes to the meter of the work that made it.
    callbacks: [
      new LlmCallback(endpoint.provider === "groq" ? "groq" : "openai", endpoint.model),
    ],
  });
}
