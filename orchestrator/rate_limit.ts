/**
 * A per-client token bucket (client = the authenticated user, else the address). Over the
 * limit: 429 with Retry-After. `perMinute: 0` turns it off (benchmarks do).
 */
import type { MiddlewareHandler } from "hono";
import { getConnInfo } from "hono/deno";
import { HttpError } from "@app/lib";
import { principalOf } from "./auth/principal.ts";

export function rateLimit(options: { perMinute: number; methods?: string[] }): MiddlewareHandler {
  const buckets = new Map<string, { tokens: number; updated: number }>();
  const capacity = options.perMinute;
  const refillPerMs = capacity / 60_000;
  return async (c, next) => {
    if (capacity <= 0 || (options.methods && !options.methods.includes(c.req.method))) {
      return await next();
    }
    const principal = principalOf(c);
    // A user's keys and tokens share one bucket; anonymous callers are told apart by address.
    let client = principal.via === "open" ? "" : `user:${principal.user_id}`;
    if (!client) {
      try {
        client = getConnInfo(c).remote.address ?? "unknown";
      } catch {
        client = "unknown";
      }
    }
    const now = Date.now();
    const bucket = buckets.get(client) ?? { tokens: capacity, updated: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + (now - bucket.updated) * refillPerMs);
    bucket.updated = now;
    buckets.set(client, bucket);
    if (buckets.size > 10_000) buckets.delete(buckets.keys().next().value!);
    if (bucket.tokens < 1) {
      const retryAfter = Math.ceil((1 - bucket.tokens) / refillPerMs / 1000);
      throw new HttpError(
        429,
        "rate_limited",
        `too many tasks: the limit is ${capacity} a minute; retry in ${retryAfter} s`,
        undefined,
        { "Retry-After": String(retryAfter) },
      );
    }
    bucket.tokens -= 1;
    await next();
  };
}
