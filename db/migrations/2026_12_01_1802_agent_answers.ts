/**
 * The built-in agents' answers by idempotency key: a repeated call with a key already answered
 * gets the stored answer instead of the work done again, on any process of the agent.
 */
// deno-lint-ignore-file no-explicit-any
import type { Kysely } from "kysely";
import { isPostgres } from "../dialect.ts";

export async function up(db: Kysely<any>): Promise<void> {
  const time = isPostgres(db) ? "timestamptz" : "text";
  await db.schema.createTable("agent_answers")
    .addColumn("agent", "text", (c) => c.notNull())
    .addColumn("key", "text", (c) => c.notNull())
    // Null while the work runs.
    .addColumn("answer", "text")
    .addColumn("created_at", time, (c) => c.notNull())
    // Renewed while the work runs; past it, the worker is presumed dead and the key free.
    .addColumn("locked_until", time, (c) => c.notNull())
    .addColumn("expires_at", time, (c) => c.notNull())
    .addPrimaryKeyConstraint("agent_answers_pkey", ["agent", "key"])
    .execute();
  await db.schema.createIndex("agent_answers_by_expiry").on("agent_answers")
    .column("expires_at").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("agent_answers").execute();
}
