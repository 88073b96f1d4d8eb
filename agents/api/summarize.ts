/**
 * The summarize operation: extractive always, abstractive through the LLM when one is
 * configured (falling back to the extractive summary, and saying so, if the model fails).
 */
import { unprocessable } from "@app/lib";
import { extractiveSummary, tokenize, topKeywords } from "@app/lib/text";
import { abstractiveSummary } from "./abstractive.ts";
import { dataText } from "./data.ts";
import { cleanNumbers, formatNumber, listing, plural } from "./format.ts";
import type { OperationContext, OperationRequest, OperationResponse } from "./request.ts";

export const DEFAULT_MAX_SENTENCES = 3;

/** The request's text: `input`, then any text carried in `data`. */
export function requestText(request: OperationRequest, what: string): string {
  const text = [request.input.trim(), request.data === undefined ? "" : dataText(request.data)]
    .filter(Boolean).join("\n\n");
  if (!text) {
    throw unprocessable(
      "input",
      `there is no text to ${what}: input is empty and data holds no text`,
    );
  }
  return text;
}

export async function summarize(
  request: OperationRequest,
  context: OperationContext,
): Promise<OperationResponse> {
  const text = requestText(request, "summarize");
  const maxSentences = request.options.max_sentences ?? DEFAULT_MAX_SENTENCES;
  const extractive = extractiveSummary(text, maxSentences);
  const sentences = extractive.selected.map((s) => s.text);
  const extractiveText = sentences.join(" ");
  const keywords = topKeywords(text, request.options.top_k ?? 5);
  const inputWords = tokenize(text).length;
  const keptWords = tokenize(extractiveText).length;

  let abstract: { text: string; model: string; truncated: boolean } | undefined;
  let llmError: string | undefined;
  if (context.llm) {
    try {
      abstract = await abstractiveSummary(context.llm, {
        text,
        maxSentences,
        instruction: request.options.instruction,
        targetFormat: request.options.target_format,
      }, context.signal);
    } catch (error) {
      llmError = error instanceof Error ? error.message : String(error);
      context.logger.warn("llm summary failed; answering with the extractive one", {
        error: llmError,
      });
    }
  }

  const insights = [
    `Kept ${extractive.selected.length} of ${plural(extractive.sentence_count, "sentence")} (${
      formatNumber(Math.round((keptWords / Math.max(1, inputWords)) * 100))
    }% of the words)`,
  ];
  if (keywords.length) {
    insights.push(
      `Key terms: ${listing(keywords.map((k) => `${k.word} (${k.count})`))}`,
    );
  }
  if (llmError) insights.push(`The LLM was unavailable (${llmError}); this summary is extractive`);

  return {
    operation: "summarize",
    summary: abstract?.text ?? extractiveText,
    insights,
    result: {
      method: abstract ? "abstractive" : "extractive",
      ...(abstract && { abstract: abstract.text, truncated_input: abstract.truncated }),
      sentences,
      ranked: cleanNumbers(extractive.selected),
      sentence_count: extractive.sentence_count,
      selected_count: extractive.selected.length,
      word_count: inputWords,
      keywords,
      ...(llmError && { llm_error: llmError }),
    },
    offline: !abstract,
    ...(abstract && { model: abstract.model }),
  };
}
