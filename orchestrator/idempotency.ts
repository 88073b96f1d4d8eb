/**
 * `Idempotency-Key` on task submission (the IETF draft "The Idempotency-Key HTTP Header
 * Field"): the same key and body within IDEMPOTENCY_TTL_MS replays the first response, another
 * body is refused (422), and a key whose first request is still running answers 409. Keys are
 * kept in the database per client (user, API key or address), so they hold on every process.
 */
import type { Context } from "hono";
import { getConnInfo } from "hono/deno";
import type { Kysely } from "kysely";
import { z } from "@hono/zod-openapi";
import {
  claimIdempotencyKey,
  type Database,
  type IdempotencyKeyRef,
  type JsonObject,
  purgeExpiredIdempotencyKeys,
  releaseIdempotencyKey,
} from "@app/db";
import { HttpError, type Logger } from "@app/lib";
import { principalOf } from "./auth/principal.ts";

/** A claim's hold on its key while its request runs (planning included); then presumed dead. */
const CLAIM_LOCK_MS = 5 * 60_000;
const PURGE_INTERVAL_MS = 60_000;

/** The header as the draft writes it (a structured-field string: quoted), or bare. */
export const IdempotencyHeaders = z.object({
  "idempotency-key": z.string()
    .transform((v) => v.trim().replace(/^"(.*)"$/, "$1"))
    .pipe(
      z.string().min(1, "must not be empty").max(255, "must be at most 255 characters")
        .regex(/^[\x20-\x7e]+$/, "must be printable ASCII"),
    )
    .optional()
    .openapi({
      description: "Makes the submission safe to retry: the same key and body within " +
        "IDEMPOTENCY_TTL_MS return the first response (with Idempotent-Replayed: true) and " +
        "create nothing; another body gets 422, a key still in progress 409.",
      example: '"8e03978e-40d5-43e8-bc93-6894a57f9324"',
    }),
});

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** JSON with object keys sorted, so the same body spelt in another order has one fingerprint. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * Whose keys these are: the authenticated user, else (an open service) the Authorization
 * header hashed (never stored as given), else the address.
 */
async function clientScope(c: Context): Promise<string> {
  const principal = principalOf(c);
  if (principal.via !== "open") return `user:${principal.user_id}`;
  const authorization = c.req.header("authorization");
  if (authorization) return `key:${await sha256Hex(authorization)}`;
  try {
    return `addr:${getConnInfo(c).remote.address ?? "unknown"}`;
  } catch {
    return "addr:unknown";
  }
}

export interface IdempotencyDeps {
  db: Kysely<Database>;
  ttlMs: number;
  logger: Logger;
}

/** What a submission with a key should do: run (holding the claim), or answer at once. */
export type IdempotentStart =
  | { kind: "run"; key: IdempotencyKeyRef; release(): Promise<void> }
  | { kind: "replay"; response: JsonObject };

export function idempotentSubmissions(deps: IdempotencyDeps) {
  let lastPurge = 0;
  const purgeNow = () => {
    if (Date.now() - lastPurge < PURGE_INTERVAL_MS) return;
    lastPurge = Date.now();
    purgeExpiredIdempotencyKeys(deps.db).catch((error) =>
      deps.logger.warn("purging expired idempotency keys failed", { error: String(error) })
    );
  };

  /** Claims the request's key for its body, or answers: replay, 422 or 409. */
  return async function start(c: Context, key: string, body: unknown): Promise<IdempotentStart> {
    purgeNow();
    const ref = { scope: await clientScope(c), key };
    const claim = await claimIdempotencyKey(deps.db, {
      ...ref,
      fingerprint: await sha256Hex(canonicalJson(body)),
      ttlMs: deps.ttlMs,
      lockMs: CLAIM_LOCK_MS,
    });
    switch (claim.kind) {
      case "claimed":
        return { kind: "run", key: ref, release: () => releaseIdempotencyKey(deps.db, ref) };
      case "replay":
        return claim;
      case "mismatch":
        throw new HttpError(
          422,
          "idempotency_key_reused",
          "Idempotency-Key: this key was used with a different request body",
          [{ field: "Idempotency-Key", message: "already used with a different body" }],
        );
      case "in_progress":
        throw new HttpError(
          409,
          "idempotency_key_in_progress",
          "Idempotency-Key: a request with this key is still being processed; retry later",
          [{ field: "Idempotency-Key", message: "a request with this key is in progress" }],
          { "Retry-After": "1" },
        );
    }
  };
}
