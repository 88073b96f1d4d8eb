/**
 * A LangChain callback on every chat model the services build: when a call ends, the usage the
 * server reported (and the model it answered with) goes to the usage meter in force
 * (`lib/usage.ts`). Awaited in line, so it runs in the caller's async context and finds its
 * meter.
 */
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import type { LLMResult } from "@langchain/core/outputs";
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

export class UsageCallback extends BaseCallbackHandler {
  name = "usage_meter";
  override awaitHandlers = true;

  constructor(private readonly model: string) {
    super();
  }

  override handleLLMEnd(output: LLMResult): void {
    const record = reportedUsage(output, this.model);
    if (record) recordUsage(record);
  }
}
