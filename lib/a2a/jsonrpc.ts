/**
 * A2A JSON-RPC in Hono, doing what the SDK's Express adapter does (1.3.0 ships no Hono one):
 * pick the v1.0 or v0.3 transport handler by the `A2A-Version` header, check the version against
 * the card, and answer JSON or, for streams, SSE, reading the first event before committing to
 * SSE so an early error still answers as plain JSON-RPC.
 */
import {
  A2A_VERSION_HEADER,
  Extensions,
  formatSSEErrorEvent,
  formatSSEEvent,
  HTTP_EXTENSION_HEADER,
  SSE_HEADERS,
} from "@a2a-js/sdk";
import {
  type A2ARequestHandler,
  defaultServerCallContextBuilder,
  JsonRpcTransportHandler,
  UnauthenticatedUser,
  type User,
  validateVersion,
} from "@a2a-js/sdk/server";
import {
  A2A_LEGACY_PROTOCOL_VERSION,
  LEGACY_HTTP_EXTENSION_HEADER,
  LEGACY_METHOD_TASKS_RESUBSCRIBE,
} from "@a2a-js/sdk/compat/v0_3";
import { LegacyJsonRpcTransportHandler } from "@a2a-js/sdk/compat/v0_3/server";
import { A2A_ERROR_CODE, ContentTypeNotSupportedError } from "@a2a-js/sdk/errors";
import type { Context } from "hono";
import type { Logger } from "@app/lib";

type RpcId = string | number | null;

function rpcError(id: RpcId, error: { code: number; message: string }) {
  return { jsonrpc: "2.0", id, error };
}

function idOf(body: unknown): RpcId {
  const id = (body as { id?: unknown } | null)?.id;
  return typeof id === "string" || typeof id === "number" ? id : null;
}

export interface JsonRpcOptions {
  /** The caller as the SDK sees it (its stores scope tasks by user name); default: anonymous. */
  userOf?: (c: Context) => User;
}

export function jsonRpcHandler(
  requestHandler: A2ARequestHandler,
  logger: Logger,
  options: JsonRpcOptions = {},
) {
  const v1 = new JsonRpcTransportHandler(requestHandler);
  const legacy = new LegacyJsonRpcTransportHandler(requestHandler);

  return async (c: Context): Promise<Response> => {
    const versionHeader = c.req.header(A2A_VERSION_HEADER);
    const useLegacy = (versionHeader || A2A_LEGACY_PROTOCOL_VERSION) ===
      A2A_LEGACY_PROTOCOL_VERSION;
    const mapToError = useLegacy
      ? LegacyJsonRpcTransportHandler.mapToLegacyJSONRPCError
      : JsonRpcTransportHandler.mapToJSONRPCError;

    const contentType = c.req.header("content-type");
    const mediaType = contentType?.split(";", 1)[0].trim().toLowerCase();
    if (mediaType && mediaType !== "application/json") {
      const error = new ContentTypeNotSupportedError(
        `Unsupported Content-Type "${contentType}"; expected application/json.`,
      );
      return c.json(rpcError(null, JsonRpcTransportHandler.mapToJSONRPCError(error)), 200);
    }
    let body: unknown;
    try {
      const text = await c.req.text();
      body = text.trim() ? JSON.parse(text) : {};
    } catch {
      return c.json(
        rpcError(null, { code: A2A_ERROR_CODE.PARSE_ERROR, message: "Invalid JSON payload." }),
        200,
      );
    }
    // Fuzzing found that a JSON `null` body made the SDK throw reading `.id` (an HTTP 500);
    // a body that is no object (nor a batch array, which the SDK answers) is an invalid request.
    if (body === null || typeof body !== "object") {
      return c.json(
        rpcError(null, { code: A2A_ERROR_CODE.INVALID_REQUEST, message: "Invalid request." }),
        200,
      );
    }
    const id = idOf(body);

    try {
      const context = defaultServerCallContextBuilder({
        extensions: Extensions.parseServiceParameter(
          useLegacy
            ? c.req.header(LEGACY_HTTP_EXTENSION_HEADER) ?? c.req.header(HTTP_EXTENSION_HEADER)
            : c.req.header(HTTP_EXTENSION_HEADER),
        ),
        user: options.userOf?.(c) ?? new UnauthenticatedUser(),
        headers: Object.fromEntries(c.req.raw.headers),
        requestedVersion: versionHeader || undefined,
      });
      validateVersion(context.requestedVersion, await requestHandler.getAgentCard(), "JSONRPC");
      const result = await (useLegacy ? legacy : v1).handle(
        body as Record<string, unknown>,
        context,
      );
      const headers: Record<string, string> = {};
      if (context.activatedExtensions) {
        headers[useLegacy ? LEGACY_HTTP_EXTENSION_HEADER : HTTP_EXTENSION_HEADER] = [
          ...context.activatedExtensions,
        ].join(", ");
      }
      if (!isAsyncIterable(result)) return c.json(result, 200, headers);

      const iterator = result[Symbol.asyncIterator]();
      let first: IteratorResult<unknown> | undefined;
      // v0.3 resubscribe always answers SSE, like the SDK; other streams look at the first event.
      const alwaysSse = useLegacy &&
        (body as { method?: unknown })?.method === LEGACY_METHOD_TASKS_RESUBSCRIBE;
      if (!alwaysSse) {
        try {
          first = await iterator.next();
        } catch (error) {
          return c.json(rpcError(id, mapToError(error)), 200, headers);
        }
      }
      return sseResponse(iterator, first, { ...SSE_HEADERS, ...headers }, (error) => {
        logger.warn("a2a stream failed", { error: String(error), rpc_id: id });
        return formatSSEErrorEvent(rpcError(id, mapToError(error)));
      });
    } catch (error) {
      const mapped = mapToError(error);
      if (mapped.code === A2A_ERROR_CODE.INTERNAL_ERROR) {
        logger.error("a2a request failed", { error: String(error), rpc_id: id });
      }
      return c.json(
        rpcError(id, mapped),
        mapped.code === A2A_ERROR_CODE.INTERNAL_ERROR ? 500 : 200,
      );
    }
  };
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof (value as AsyncIterable<unknown>)?.[Symbol.asyncIterator] === "function";
}

/** Writes the events as SSE; when the client goes away, the iterator is closed so the SDK
 * stops listening (the task itself keeps running, as A2A wants). */
function sseResponse(
  iterator: AsyncIterator<unknown>,
  first: IteratorResult<unknown> | undefined,
  headers: Record<string, string>,
  onError: (error: unknown) => string,
): Response {
  const encoder = new TextEncoder();
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      try {
        if (first && !first.done) controller.enqueue(encoder.encode(formatSSEEvent(first.value)));
        if (!first?.done) {
          for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
            controller.enqueue(encoder.encode(formatSSEEvent(next.value)));
          }
        }
      } catch (error) {
        if (cancelled) return;
        controller.enqueue(encoder.encode(onError(error)));
      }
      try {
        controller.close();
      } catch { /* already cancelled */ }
    },
    async cancel() {
      cancelled = true;
      await iterator.return?.(undefined);
    },
  });
  return new Response(stream, { status: 200, headers });
}
