/**
 * /api/* on the UI's origin, passed to the orchestrator with the key added on this side. Bodies
 * stream both ways, so Server-Sent Events flow through as they are written, and a browser that
 * goes away aborts the upstream request.
 */
import type { Handler } from "hono";
import type { OrchestratorClient } from "./orchestrator_client.ts";

const REQUEST_HEADERS = ["accept", "content-type", "last-event-id", "cache-control"];
const RESPONSE_HEADERS = ["content-type", "cache-control", "x-next-cursor", "retry-after"];

export function proxyApi(client: OrchestratorClient): Handler {
  return async (c) => {
    const url = new URL(c.req.url);
    const headers = new Headers();
    for (const name of REQUEST_HEADERS) {
      const value = c.req.header(name);
      if (value) headers.set(name, value);
    }
    const method = c.req.method;
    const hasBody = method !== "GET" && method !== "HEAD";
    const upstream = await client.raw(url.pathname + url.search, {
      method,
      headers,
      body: hasBody ? c.req.raw.body : undefined,
      signal: c.req.raw.signal,
      // a streamed request body needs half-duplex
      ...(hasBody ? { duplex: "half" } : {}),
    } as RequestInit);
    const out = new Headers();
    for (const name of RESPONSE_HEADERS) {
      const value = upstream.headers.get(name);
      if (value) out.set(name, value);
    }
    if (out.get("content-type")?.startsWith("text/event-stream")) {
      out.set("cache-control", "no-cache");
      out.set("x-accel-buffering", "no");
    }
    return new Response(upstream.body, { status: upstream.status, headers: out });
  };
}
