/**
 * Who may do what (issue 21): per-user API keys (only their hash is stored), an audit log of
 * changes naming who made them, an external agent's credentials (a table of their own, so no
 * agent row ever carries them out of the API), and the index a user's own task list walks.
 */
// deno-lint-ignore-file no-explicit-any
import { type Kysely, sql } from "kysely";
import { isPostgres } from "../dialect.ts";

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  const time = pg ? "timestamptz" : "text";
  const id = (big = false) => (pg ? (big ? "bigserial" : "serial") : "integer");
  const primaryId = (c: any) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement());
  const now = pg ? sql`now()` : sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;

  await db.schema.createTable("api_keys")
    .addColumn("id", id(), primaryId)
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull())
    // SHA-256 of the key, hex: keys are 256 random bits, so a fast hash is enough.
    .addColumn("key_hash", "text", (c) => c.notNull().unique())
    // The key's first characters, so a person can tell their keys apart in a list.
    .addColumn("prefix", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("created_at", time, (c) => c.notNull().defaultTo(now))
    .addColumn("revoked_at", time)
    .execute();

  await db.schema.createTable("audit_events")
    .addColumn("id", id(true), primaryId)
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("data", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("created_at", time, (c) => c.notNull().defaultTo(now))
    .execute();

  await db.schema.createTable("agent_credentials")
    .addColumn(
      "agent_id",
      "integer",
      (c) => c.primaryKey().references("agents.id").onDelete("cascade"),
    )
    // The header the secret travels in, and its value's prefix ("Bearer " for bearer tokens).
    .addColumn("header", "text", (c) => c.notNull())
    .addColumn("scheme", "text", (c) => c.notNull())
    .addColumn("secret", "text", (c) => c.notNull())
    .execute();

  await db.schema.createIndex("tasks_by_user").on("tasks").columns(["user_id", "id"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("tasks_by_user").ifExists().execute();
  for (const table of ["agent_credentials", "audit_events", "api_keys"]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
