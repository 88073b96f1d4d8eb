/** What every operation receives, once the route has validated and normalized the body. */
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { Logger } from "@app/lib";
import type { Operation, OperationResponse, Options } from "./schemas.ts";

export interface OperationRequest {
  input: string;
  data?: unknown;
  options: Options;
  /** The conversation so far, oldest first. */
  history?: { role: string; content: string }[];
}

export interface OperationContext {
  llm: BaseChatModel | null;
  logger: Logger;
  /** Aborted when the client goes away. */
  signal?: AbortSignal;
  /** Test-only: wait this long before working. */
  delayMs?: number;
}

export type OperationHandler = (
  request: OperationRequest,
  context: OperationContext,
) => Promise<OperationResponse>;

export type { Operation, OperationResponse };
