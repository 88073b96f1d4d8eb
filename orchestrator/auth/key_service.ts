/**
 * Creating and revoking users' keys, each with its audit event in the same transaction. The
 * API (routes/keys.ts) and `deno task keys` (scripts/keys.ts) both come here.
 */
import type { Kysely } from "kysely";
import {
  type ApiKey,
  appendAudit,
  type Database,
  getApiKey,
  insertApiKey,
  revokeApiKey,
  type Role,
} from "@app/db";
import { generateApiKey, hashApiKey } from "./api_keys.ts";

/** Stores a new key for `user_id`; the key itself is in the answer and nowhere else. */
export async function createKey(
  db: Kysely<Database>,
  input: { user_id: string; role: Role; actor: string },
): Promise<ApiKey & { key: string }> {
  const { key, prefix } = generateApiKey();
  const key_hash = await hashApiKey(key);
  const stored = await db.transaction().execute(async (trx) => {
    const row = await insertApiKey(trx, {
      user_id: input.user_id,
      role: input.role,
      key_hash,
      prefix,
      created_by: input.actor,
    });
    await appendAudit(trx, {
      actor: input.actor,
      action: "key.created",
      subject: `key ${row.id}`,
      data: { user_id: input.user_id, role: input.role, prefix },
    });
    return row;
  });
  return { ...stored, key };
}

/** Revokes a key; undefined when there is no such key or it was revoked already. */
export async function revokeKey(
  db: Kysely<Database>,
  id: number,
  actor: string,
): Promise<ApiKey | undefined> {
  return await db.transaction().execute(async (trx) => {
    if (!(await revokeApiKey(trx, id))) return undefined;
    const key = (await getApiKey(trx, id))!;
    await appendAudit(trx, {
      actor,
      action: "key.revoked",
      subject: `key ${id}`,
      data: { user_id: key.user_id, prefix: key.prefix },
    });
    return key;
  });
}
