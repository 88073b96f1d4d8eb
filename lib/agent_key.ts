/**
 * The built-in agents' guard: with AGENT_API_KEY set, every call needs
 * `Authorization: Bearer <AGENT_API_KEY>` (the orchestrator sends it). What describes the agent
 * stays public, as A2A expects of its card: the card, /health, /capabilities and the docs.
 */
import { timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { HttpError } from "./http_errors.ts";

const PUBLIC_PATHS = new Set([
  "/.well-known/agent-card.json",
  "/.well-known/agent.json",
  "/health",
  "/capabilities",
  "/docs",
  "/openapi.json",
]);

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

export function requireAgentKey(key: string | undefined): MiddlewareHandler {
  const expected = key ? sha256(key) : undefined;
  return async (c, next) => {
    const open = !expected || c.req.method === "OPTIONS" ||
      ((c.req.method === "GET" || c.req.method === "HEAD") && PUBLIC_PATHS.has(c.req.path));
    if (!open) {
      const given = /^Bearer[ ]+(\S+)\s*$/i.exec(c.req.header("authorization") ?? "")?.[1];
      // Equal-length digests compared in constant time: nothing leaks about the key.
      if (!given || !timingSafeEqual(await sha256(given), await expected!)) {
        throw new HttpError(
          401,
          "unauthorized",
          "this agent answers only its orchestrator: send Authorization: Bearer <AGENT_API_KEY>",
          undefined,
          { "WWW-Authenticate": "Bearer" },
        );
      }
    }
    await next();
  };
}
