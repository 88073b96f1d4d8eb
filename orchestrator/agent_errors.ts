/**
 * Why an agent call failed, decided where the failure is seen (the socket, the HTTP status,
 * the protocol) rather than guessed later from message text. Transient failures (network,
 * 5xx, 408, 429, an agent's internal error) are worth a retry; the others are not.
 */

export type AgentFailure =
  /** No connection, or it broke: refused, reset, closed mid-answer. */
  | "unreachable"
  /** The agent answered with an HTTP error status. */
  | "http_status"
  /** The agent answered a JSON-RPC error (A2A). */
  | "jsonrpc_error"
  /** The answer broke the protocol: malformed JSON, a stream that ended early, no card. */
  | "protocol"
  /** The agent's own task ended failed, canceled or rejected. */
  | "task_failed"
  /** The caller aborted the call. */
  | "aborted"
  /** The outbound guard refused the address (metadata, private, not allowlisted). */
  | "refused";

export class AgentCallError extends Error {
  constructor(
    message: string,
    readonly failure: AgentFailure,
    readonly transient: boolean,
    options?: { cause?: unknown; status?: number; code?: number },
  ) {
    super(message, options);
    this.name = "AgentCallError";
    this.status = options?.status;
    this.code = options?.code;
  }
  /** The HTTP status, for `http_status`. */
  readonly status?: number;
  /** The JSON-RPC error code, for `jsonrpc_error`. */
  readonly code?: number;
}

/**
 * Not a failure: the agent asked the user something (A2A input-required or auth-required) and
 * waits in its task `a2a_task_id` for the answer.
 */
export class AgentNeedsInput extends Error {
  constructor(
    message: string,
    readonly asked: {
      kind: "input" | "auth";
      question: string;
      a2a_task_id: string | null;
      a2a_context_id: string | null;
    },
  ) {
    super(message);
    this.name = "AgentNeedsInput";
  }
}

export const isTransientStatus = (status: number): boolean =>
  status >= 500 || status === 408 || status === 429;

/** JSON-RPC's internal error: the agent failed on its side, and may not next time. */
const JSONRPC_INTERNAL_ERROR = -32603;

/** An error's message with its causes ("fetch failed: Connection refused (os error 111)"). */
export function describe(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 4; depth++) {
    const message = current instanceof Error ? current.message : String(current);
    if (message && !parts.some((p) => p.includes(message))) parts.push(message);
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(": ");
}

/** The first `AgentCallError` in `error`'s cause chain (libraries wrap what our fetch threw). */
function findAgentCallError(error: unknown): AgentCallError | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 6; depth++) {
    if (current instanceof AgentCallError) return current;
    current = current instanceof Error ? current.cause : undefined;
  }
  return undefined;
}

/**
 * The typed failure behind `error`, prefixed with `what` (say, "agent Researcher"): an
 * `AgentCallError` thrown at its source, a JSON-RPC error the A2A SDK decoded (its
 * `envelopeCode`), an abort; anything else is a protocol failure, not worth a retry.
 */
export function asAgentCallError(error: unknown, what: string): AgentCallError {
  const typed = findAgentCallError(error);
  if (typed) {
    return typed.message.startsWith(what) ? typed : new AgentCallError(
      `${what}: ${typed.message}`,
      typed.failure,
      typed.transient,
      { cause: typed, status: typed.status, code: typed.code },
    );
  }
  if (error instanceof DOMException && error.name === "AbortError") {
    return new AgentCallError(`${what}: aborted`, "aborted", false, { cause: error });
  }
  const code = (error as { envelopeCode?: unknown })?.envelopeCode;
  if (typeof code === "number") {
    return new AgentCallError(
      `${what}: ${describe(error)}`,
      "jsonrpc_error",
      code === JSONRPC_INTERNAL_ERROR,
      { cause: error, code },
    );
  }
  return new AgentCallError(`${what}: ${describe(error)}`, "protocol", false, { cause: error });
}

function jsonRpcErrorCode(text: string): number | undefined {
  try {
    const code = JSON.parse(text)?.error?.code;
    return typeof code === "number" ? code : undefined;
  } catch {
    return undefined;
  }
}

/** A response whose body reports a broken connection as `unreachable` when read. */
function guardBody(response: Response, where: string): Response {
  if (!response.body) return response;
  const reader = response.body.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (error) {
        controller.error(
          new AgentCallError(
            `the connection to ${where} broke mid-answer: ${describe(error)}`,
            "unreachable",
            true,
            { cause: error },
          ),
        );
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

/** Reads a whole answer; a connection that breaks meanwhile is `unreachable`. */
export async function readAgentBody(response: Response, where: string): Promise<string> {
  try {
    return await response.text();
  } catch (error) {
    throw new AgentCallError(
      `the connection to ${where} broke mid-answer: ${describe(error)}`,
      "unreachable",
      true,
      { cause: error },
    );
  }
}

/**
 * `fetch` for calling agents, through which every transport failure is typed where it
 * happens: no connection (or one broken while the answer streams) is `unreachable`, an error
 * status is `http_status`. An abort stays the caller's own error.
 */
export function typedAgentFetch(doFetch: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const where = new URL(input instanceof Request ? input.url : String(input)).origin;
    let response: Response;
    try {
      response = await doFetch(input, init);
    } catch (error) {
      if (init?.signal?.aborted || error instanceof AgentCallError) throw error;
      throw new AgentCallError(`cannot reach ${where}: ${describe(error)}`, "unreachable", true, {
        cause: error,
      });
    }
    if (!response.ok) {
      const text = await response.text().catch(() => "");
      const code = jsonRpcErrorCode(text);
      if (code !== undefined) {
        // Spec-wise JSON-RPC errors come with HTTP 200, but some servers send them with 4xx/5xx.
        throw new AgentCallError(
          `answered a JSON-RPC error ${code}: ${text.slice(0, 300)}`,
          "jsonrpc_error",
          code === JSONRPC_INTERNAL_ERROR,
          { status: response.status, code },
        );
      }
      throw new AgentCallError(
        `answered HTTP ${response.status}${text ? `: ${text.slice(0, 300)}` : ""}`,
        "http_status",
        isTransientStatus(response.status),
        { status: response.status },
      );
    }
    // A stream is read by the A2A SDK, where a broken connection would lose its type: guard it.
    // A plain answer is read whole by the caller, who types a failed read itself
    // (`readAgentBody`), without a second stream per call.
    const streamed = response.headers.get("content-type")?.includes("text/event-stream");
    return streamed ? guardBody(response, where) : response;
  };
}
