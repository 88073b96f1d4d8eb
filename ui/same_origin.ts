/**
 * Refuses state-changing requests sent by another site's page (CSRF): the UI's forms and proxy
 * act with the signed-in user's key, so only pages this server rendered may use them. A
 * request carrying the sign-in cookie must also show where it comes from (Origin or
 * Sec-Fetch-Site, which every current browser sends): one that says nothing is refused too.
 */
import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { SESSION_COOKIE } from "./sign_in_sessions.ts";

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
      const vouched = site === "same-origin" || (origin !== undefined && !foreignOrigin);
      const signedIn = getCookie(c, SESSION_COOKIE) !== undefined;
      if (crossSite || foreignOrigin || (signedIn && !vouched)) {
        return c.json(
          { error: { code: "forbidden", message: "cross-site requests are refused" } },
          403,
        );
      }
    }
    await next();
  };
}
