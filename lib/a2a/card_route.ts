/** The agent card at both well-known paths: v1.0 when asked with `A2A-Version: 1.0`, the v0.3
 * shape otherwise (no header means 0.3, as the protocol says); cacheable, with an ETag as the
 * SDK's own card handler sends (a weak hash of the body) and 304 when the client has it. */
import { createHash } from "node:crypto";
import { A2A_VERSION_HEADER, type AgentCard } from "@a2a-js/sdk";
import { A2A_LEGACY_PROTOCOL_VERSION } from "@a2a-js/sdk/compat/v0_3";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { cardJson, toLegacyCard } from "./card.ts";

export const CARD_PATHS = ["/.well-known/agent-card.json", "/.well-known/agent.json"];

/** True for a missing header and any 0.x version from 0.3 up. */
function wantsLegacy(version: string | undefined): boolean {
  if (!version?.trim()) return true;
  const [major, minor = "0"] = version.trim().split(".");
  return Number(major) === 0 && Number(minor) >= Number(A2A_LEGACY_PROTOCOL_VERSION.split(".")[1]);
}

/** `card` is given the request: a server may advertise the address it was reached at. */
export function mountAgentCard(app: OpenAPIHono, card: (c: Context) => Promise<AgentCard>) {
  for (const path of CARD_PATHS) {
    app.get(path, async (c) => {
      const legacy = wantsLegacy(c.req.header(A2A_VERSION_HEADER));
      const body = JSON.stringify(legacy ? toLegacyCard(await card(c)) : cardJson(await card(c)));
      const etag = `W/"${createHash("sha256").update(body).digest("hex").slice(0, 16)}"`;
      c.header("Vary", A2A_VERSION_HEADER);
      c.header("Cache-Control", "public, max-age=60");
      c.header("ETag", etag);
      const known = c.req.header("If-None-Match")?.split(",").map((tag) => tag.trim());
      if (known?.includes(etag) || known?.includes("*")) return c.body(null, 304);
      return c.body(body, 200, { "Content-Type": "application/json" });
    });
  }
}
