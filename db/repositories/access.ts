/**
 * Who may do what, as data: users' API keys (by hash only), the audit log of changes that are
 * not a task's, and external agents' credentials (read only by the orchestrator's agent client).
 */
import type { Kysely, Selectable, Transaction } from "kysely";
import type { AgentCredentialsTable, ApiKeysTable, AuditEventsTable, Database } from "../schema.ts";
import type { JsonObject } from "../types.ts";
import { affected, isoNow, toJson } from "../codec.ts";

type Db = Kysely<Database> | Transaction<Database>;

export type Role = "admin" | "user";
export const ROLES: readonly Role[] = ["admin", "user"];

/** A key as lists show it: never its hash. */
export type ApiKey = Omit<Selectable<ApiKeysTable>, "key_hash">;

const KEY_COLUMNS = [
  "id",
  "user_id",
  "role",
  "prefix",
  "created_by",
  "created_at",
  "revoked_at",
] as const;

export async function insertApiKey(
  db: Db,
  input: { user_id: string; role: Role; key_hash: string; prefix: string; created_by: string },
): Promise<ApiKey> {
  return await db.insertInto("api_keys").values({ ...input, created_at: isoNow() })
    .returning(KEY_COLUMNS).executeTakeFirstOrThrow();
}

/** The unrevoked key with this hash, with the hash (the caller compares it in constant time). */
export async function findActiveApiKey(
  db: Db,
  keyHash: string,
): Promise<Selectable<ApiKeysTable> | undefined> {
  return await db.selectFrom("api_keys").selectAll().where("key_hash", "=", keyHash)
    .where("revoked_at", "is", null).executeTakeFirst();
}

export async function listApiKeys(db: Db): Promise<ApiKey[]> {
  return await db.selectFrom("api_keys").select(KEY_COLUMNS).orderBy("id").execute();
}

export async function getApiKey(db: Db, id: number): Promise<ApiKey | undefined> {
  return await db.selectFrom("api_keys").select(KEY_COLUMNS).where("id", "=", id)
    .executeTakeFirst();
}

/** Revokes a key; false when there is no such key or it was revoked already. */
export async function revokeApiKey(db: Db, id: number): Promise<boolean> {
  const result = await db.updateTable("api_keys").set({ revoked_at: isoNow() })
    .where("id", "=", id).where("revoked_at", "is", null).executeTakeFirst();
  return affected(result) > 0;
}

export async function countActiveApiKeys(db: Db): Promise<number> {
  const row = await db.selectFrom("api_keys").select((eb) => eb.fn.countAll<number>().as("n"))
    .where("revoked_at", "is", null).executeTakeFirstOrThrow();
  return Number(row.n);
}

export type AuditEvent = Omit<Selectable<AuditEventsTable>, "data"> & { data: JsonObject };

export async function appendAudit(
  db: Db,
  event: { actor: string; action: string; subject: string; data?: JsonObject },
): Promise<void> {
  await db.insertInto("audit_events").values({
    actor: event.actor,
    action: event.action,
    subject: event.subject,
    data: toJson(event.data ?? {}),
    created_at: isoNow(),
  }).execute();
}

/** The audit log, newest first. */
export async function listAudit(db: Db, options: { limit?: number } = {}): Promise<AuditEvent[]> {
  const rows = await db.selectFrom("audit_events").selectAll().orderBy("id", "desc")
    .limit(options.limit ?? 100).execute();
  return rows.map((row) => ({ ...row, id: Number(row.id), data: JSON.parse(row.data) }));
}

/** How the orchestrator authenticates to an agent: `header: scheme + secret`. */
export type AgentCredential = Omit<Selectable<AgentCredentialsTable>, "agent_id">;

export async function setAgentCredential(
  db: Db,
  agentId: number,
  credential: AgentCredential | null,
): Promise<void> {
  await db.deleteFrom("agent_credentials").where("agent_id", "=", agentId).execute();
  if (credential) {
    await db.insertInto("agent_credentials").values({ agent_id: agentId, ...credential })
      .execute();
  }
}

export async function getAgentCredential(
  db: Db,
  agentId: number,
): Promise<AgentCredential | undefined> {
  return await db.selectFrom("agent_credentials").select(["header", "scheme", "secret"])
    .where("agent_id", "=", agentId).executeTakeFirst();
}
