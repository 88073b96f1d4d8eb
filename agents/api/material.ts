/**
 * A request with nothing to work on (empty input, no data) but an instruction: a follow-up
 * ("summarize that") works on the conversation's last answer; any other is answered in one
 * plain sentence saying what is missing, instead of statistics about the instruction's words.
 * Without an instruction either, the operation refuses it (422 naming `input`) as before.
 */
import { withoutOfflineNotice } from "@app/lib/offline_notice";
import { clip, refersBack } from "@app/lib/text";
import type {
  Operation,
  OperationContext,
  OperationRequest,
  OperationResponse,
} from "./request.ts";

const VERB: Record<Operation, string> = {
  summarize: "summarize",
  analyze: "analyze",
  extract: "extract from",
};

/** The request to run (with the earlier answer as input), or the answer saying what is missing. */
export function withMaterial(
  operation: Operation,
  request: OperationRequest,
  context: OperationContext,
): OperationRequest | OperationResponse {
  const instruction = request.options.instruction?.trim();
  const empty = !request.input.trim() && (request.data === undefined || request.data === null);
  if (!empty || !instruction) return request;
  const earlier = request.history?.findLast((t) => t.role === "assistant" || t.role === "agent");
  if (earlier && refersBack(instruction)) {
    return { ...request, input: withoutOfflineNotice(earlier.content) };
  }
  const lookUp = context.llm ? "" : ", and without a language model I cannot look the topic up";
  return {
    operation,
    summary: `There is nothing to ${VERB[operation]} in "${clip(instruction, 120)}": no text ` +
      `or numbers came with it${lookUp}.`,
    insights: [],
    result: { no_material: true },
    offline: !context.llm,
    no_material: true,
  };
}
