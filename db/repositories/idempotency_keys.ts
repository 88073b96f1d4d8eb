/**
 * Idempotency keys of task submissions: a client's key is claimed before its request is
 * processed (one claim wins, on any process), completed with the response in the transaction
 * that stores the task, and released if the request fails, so the client may try again.
 */
import type { Kysely, Transaction } from "kysely";
import type { Database, JsonObject } from "../schema.ts";
import { affected, isoNow, toJson } from "../codec.ts";

type Db = Kysely<Database> | Transaction<Database>;

export interface IdempotencyKeyRef {
  /** Whose key it is: the API key's hash or the client's address. */
  scope: string;
  key: string;
}

export interface KeyClaimRequest extends IdempotencyKeyRef {
  /** A hash of the request's body: the same key with another body is refused. */
  fingerprint: string;
  /** How long the key (and its response) is kept. */
  ttlMs: number;
  /** How long a claim holds before a request that never finished may be taken over. */
  lockMs: number;
}

/** What a claim found: the key is ours now, or its first request's response, or a refusal. */
export type KeyClaim =
  | { kind: "claimed" }
  | { kind: "replay"; response: JsonObject }
  | { kind: "mismatch" }
  | { kind: "in_progress" };

const later = (ms: number) => isoNow(new Date(Date.now() + ms));

/** Claims `key` for a request with `fingerprint`, or says why it cannot be. */
export async function claimIdempotencyKey(db: Db, claim: KeyClaimRequest): Promise<KeyClaim> {
  const { scope, key } = claim;
  // A few turns at most: each one that loops saw a row that was being removed or taken.
  for (let turn = 0; turn < 5; turn++) {
    const now = isoNow();
    const inserted = await db.insertInto("idempotency_keys").values({
      scope,
      key,
      fingerprint: claim.fingerprint,
      created_at: now,
      locked_until: later(claim.lockMs),
      expires_at: later(claim.ttlMs),
    }).onConflict((oc) => oc.columns(["scope", "key"]).doNothing()).returning("key")
      .executeTakeFirst();
    if (inserted) return { kind: "claimed" };

    const row = await db.selectFrom("idempotency_keys")
      .select(["fingerprint", "response", "locked_until", "expires_at"])
      .where("scope", "=", scope).where("key", "=", key).executeTakeFirst();
    if (!row) continue;
    if (Date.parse(row.expires_at) <= Date.now()) {
      // Expired: forgotten, as if never used (only that row: another may replace it meanwhile).
      await db.deleteFrom("idempotency_keys").where("scope", "=", scope).where("key", "=", key)
        .where("expires_at", "=", row.expires_at).execute();
      continue;
    }
    if (row.fingerprint !== claim.fingerprint) return { kind: "mismatch" };
    if (row.response !== null) return { kind: "replay", response: JSON.parse(row.response) };
    if (Date.parse(row.locked_until) > Date.now()) return { kind: "in_progress" };
    // Claimed by a request that never finished (its process died): take it over.
    const taken = await db.updateTable("idempotency_keys")
      .set({ locked_until: later(claim.lockMs) })
      .where("scope", "=", scope).where("key", "=", key)
      .where("locked_until", "=", row.locked_until).where("response", "is", null)
      .executeTakeFirst();
    if (affected(taken) === 1) return { kind: "claimed" };
  }
  return { kind: "in_progress" };
}

/** Records the task and the response of a claimed key (in the transaction storing the task). */
export async function completeIdempotencyKey(
  db: Db,
  ref: IdempotencyKeyRef,
  taskId: number,
  response: JsonObject,
): Promise<void> {
  await db.updateTable("idempotency_keys")
    .set({ task_id: taskId, response: toJson(response) })
    .where("scope", "=", ref.scope).where("key", "=", ref.key).execute();
}

/** Gives up a claim whose request failed before storing anything: the key may be used again. */
export async function releaseIdempotencyKey(db: Db, ref: IdempotencyKeyRef): Promise<void> {
  await db.deleteFrom("idempotency_keys")
    .where("scope", "=", ref.scope).where("key", "=", ref.key).where("response", "is", null)
    .execute();
}

/** Removes keys past their time; returns how many. */
export async function purgeExpiredIdempotencyKeys(db: Db): Promise<number> {
  const result = await db.deleteFrom("idempotency_keys").where("expires_at", "<=", isoNow())
    .executeTakeFirst();
  return affected(result);
}
