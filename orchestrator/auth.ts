/** Optional bearer-token guard for /api/*: on when API_KEY is set. */
import type { MiddlewareHandler } from "hono";
import { HttpError } from "@app/lib";

export function apiKeyAuth(options: { key?: string }): MiddlewareHandler {
  const expected = options.key ? `Bearer ${options.key}` : undefined;
  return async (c, next) => {
    if (expected && c.req.method !== "OPTIONS" && c.req.header("authorization") !== expected) {
      throw new HttpError(
        401,
        "unauthorized",
        "this API needs the header Authorization: Bearer <API_KEY>",
        undefined,
        { "WWW-Authenticate": "Bearer" },
      );
    }
    await next();
  };
}
