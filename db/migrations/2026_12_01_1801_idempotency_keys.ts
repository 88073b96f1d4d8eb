/**
 * Idempotency keys of task submissions (`Idempotency-Key` on `POST /api/tasks`): one row per
 * client scope and key, unique, holding the request's fingerprint and, once the task is
 * stored, the response to replay.
 */
// deno-lint-ignore-file no-explicit-any
import type { Kysely } from "kysely";
import { isPostgres } from "../dialect.ts";

export async function up(db: Kysely<any>): Promise<void> {
  const time = isPostgres(db) ? "timestamptz" : "text";
  await db.schema.createTable("idempotency_keys")
    .addColumn("scope", "text", (c) => c.notNull())
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("fingerprint", "text", (c) => c.notNull())
    // Null while the first request is being processed.
    .addColumn("task_id", "integer")
    .addColumn("response", "text")
    .addColumn("created_at", time, (c) => c.notNull())
    // A claim whose request never finished (its process died) may be taken after this.
    .addColumn("locked_until", time, (c) => c.notNull())
    .addColumn("expires_at", time, (c) => c.notNull())
    .addPrimaryKeyConstraint("idempotency_keys_pkey", ["scope", "key"])
    .execute();
  await db.schema.createIndex("idempotency_keys_by_expiry").on("idempotency_keys")
    .column("expires_at").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("idempotency_keys").execute();
}
