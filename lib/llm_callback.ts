/**
 * A LangChain callback on every chat model the services build: each call is a span with the
 * OpenTelemetry GenAI attributes, and when it ends the usage the server reported (and the model
 * it answered with) goes to the usage meter in force (`lib/usage.ts`). Awaited in line, so it
 * runs in the caller's async context: it finds the caller's meter and span.
 */
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import type { LLMResult } from "@langchain/core/outputs";
import type { Serialized } from "@langchain/core/load/serializable";
import { SpanStatusCode } from "@opentelemetry/api";
import { type Span, startSpan } from "./tracing.ts";
import { recordUsage, type UsageRecord } from "./usage.ts";

type Reported = {
  message?: {
    usage_metadata?: { input_tokens?: number; output_tokens?: number };
    response_metadata?: { model_name?: unknown; model?: unknown };
  };
};

/** What the server reported for one call, or undefined when it reported nothing. */
export function reportedUsage(output: LLMResult, fallbackModel: string): UsageRecord | undefined {
  const generation = output.generations?.[0]?.[0] as Reported | undefined;
  const meta = generation?.message?.response_metadata;
  const model = typeof meta?.model_name === "string" && meta.model_name
    ? meta.model_name
    : typeof meta?.model === "string" && meta.model
    ? meta.model
    : fallbackModel;
  const usage = generation?.message?.usage_metadata;
  if (usage && (usage.input_tokens !== undefined || usage.output_tokens !== undefined)) {
    return {
      model,
      input_tokens: usage.input_tokens ?? 0,
      output_tokens: usage.output_tokens ?? 0,
    };
  }
  // Older shapes: the provider's own counts in llmOutput (never the client's estimate).
  const tokenUsage = output.llmOutput?.tokenUsage as
    | { promptTokens?: number; completionTokens?: number }
    | undefined;
  if (tokenUsage && (tokenUsage.promptTokens || tokenUsage.completionTokens)) {
    return {
      model,
      input_tokens: tokenUsage.promptTokens ?? 0,
      output_tokens: tokenUsage.completionTokens ?? 0,
    };
  }
  return undefined;
}

export class LlmCallback extends BaseCallbackHandler {
  name = "llm_usage_and_spans";
  override awaitHandlers = true;
  readonly #spans = new Map<string, Span>();

  /** `system`: `gen_ai.system` (openai, groq); `model`: the one asked for. */
  constructor(private readonly system: string, private readonly model: string) {
    super();
  }

  override handleChatModelStart(
    _llm: Serialized,
    _messages: unknown[][],
    runId: string,
  ): void {
    this.#spans.set(
      runId,
      startSpan(`chat ${this.model}`, {
        "gen_ai.system": this.system,
        "gen_ai.operation.name": "chat",
        "gen_ai.request.model": this.model,
      }),
    );
  }

  override handleLLMEnd(output: LLMResult, runId: string): void {
    const record = reportedUsage(output, this.model);
    if (record) recordUsage(record);
    const span = this.#spans.get(runId);
    if (!span) return;
    this.#spans.delete(runId);
    if (record) {
      span.setAttributes({
        "gen_ai.response.model": record.model,
        "gen_ai.usage.input_tokens": record.input_tokens,
        "gen_ai.usage.output_tokens": record.output_tokens,
      });
    }
    span.end();
  }

  override handleLLMError(error: unknown, runId: string): void {
    const span = this.#spans.get(runId);
    if (!span) return;
    this.#spans.delete(runId);
    span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
    span.end();
  }
}
