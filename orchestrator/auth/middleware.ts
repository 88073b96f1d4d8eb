/** Authenticates every /api request (see Authenticator) and sets its `principal`. */
import type { MiddlewareHandler } from "hono";
import type { Authenticator } from "./authenticator.ts";

export function authenticate(authenticator: Authenticator): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method === "OPTIONS") return await next();
    // Only the header: a key in a query string ends up in logs and browser history.
    c.set("principal", await authenticator.authenticate(c.req.header("authorization")));
    await next();
  };
}
