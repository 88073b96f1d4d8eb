/**
 * Refuses state-changing requests sent by another site's page (CSRF): the UI's forms and proxy
 * act with the orchestrator's key, so only pages this server rendered may use them.
 */
import type { MiddlewareHandler } from "hono";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function sameOrigin(): MiddlewareHandler {
  return async (c, next) => {
    if (!SAFE_METHODS.has(c.req.method)) {
      const site = c.req.header("sec-fetch-site");
      const origin = c.req.header("origin");
      const host = c.req.header("host");
      const crossSite = site !== undefined && site !== "same-origin" && site !== "none";
      let foreignOrigin = false;
      if (origin && origin !== "null" && host) {
        try {
          foreignOrigin = new URL(origin).host !== host;
        } catch {
          foreignOrigin = true;
        }
      }
      if (crossSite || foreignOrigin) {
        return c.json(
          { error: { code: "forbidden", message: "cross-site requests are refused" } },
          403,
        );
      }
    }
    await next();
  };
}
