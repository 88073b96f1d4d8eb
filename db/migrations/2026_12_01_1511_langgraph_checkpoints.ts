/**
 * LangGraph's checkpoints, for the built-in A2A agent: a graph that stops to ask the user
 * (`interrupt()`) is saved here and resumed from here with the answer, by whichever process of
 * the agent gets it, after a restart too. One row per checkpoint, one per pending write; the
 * serialised values are the saver's bytes (blob / bytea), as LangGraph's own savers keep them.
 */
// deno-lint-ignore-file no-explicit-any
import type { Kysely } from "kysely";
import { isPostgres } from "../dialect.ts";

export const CHECKPOINT_TABLE = "langgraph_checkpoints";
export const CHECKPOINT_WRITE_TABLE = "langgraph_checkpoint_writes";

export async function up(db: Kysely<any>): Promise<void> {
  const bytes = isPostgres(db) ? "bytea" : "blob";
  const time = isPostgres(db) ? "timestamptz" : "text";
  await db.schema.createTable(CHECKPOINT_TABLE)
    .addColumn("thread_id", "text", (c) => c.notNull())
    .addColumn("checkpoint_ns", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("checkpoint_id", "text", (c) => c.notNull())
    .addColumn("parent_checkpoint_id", "text")
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("checkpoint", bytes, (c) => c.notNull())
    .addColumn("metadata", bytes, (c) => c.notNull())
    // For purging threads nobody came back to.
    .addColumn("created_at", time, (c) => c.notNull())
    .addPrimaryKeyConstraint("langgraph_checkpoints_pkey", [
      "thread_id",
      "checkpoint_ns",
      "checkpoint_id",
    ])
    .execute();
  await db.schema.createTable(CHECKPOINT_WRITE_TABLE)
    .addColumn("thread_id", "text", (c) => c.notNull())
    .addColumn("checkpoint_ns", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("checkpoint_id", "text", (c) => c.notNull())
    .addColumn("task_id", "text", (c) => c.notNull())
    .addColumn("idx", "integer", (c) => c.notNull())
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("value", bytes, (c) => c.notNull())
    // The order a superstep's writes are applied in: (task_path, task_id, idx).
    .addColumn("task_path", "text", (c) => c.notNull().defaultTo(""))
    .addPrimaryKeyConstraint("langgraph_checkpoint_writes_pkey", [
      "thread_id",
      "checkpoint_ns",
      "checkpoint_id",
      "task_id",
      "idx",
    ])
    .execute();
  await db.schema.createIndex("langgraph_checkpoints_by_age").on(CHECKPOINT_TABLE)
    .column("created_at").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable(CHECKPOINT_WRITE_TABLE).execute();
  await db.schema.dropTable(CHECKPOINT_TABLE).execute();
}
