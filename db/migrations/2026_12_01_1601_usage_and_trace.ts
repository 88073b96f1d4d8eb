/**
 * What tasks cost, and where their traces are: `llm_usage` holds the tokens an LLM server
 * reported, one row per model per step (or per task for its planning, `step_number` null), with
 * the cost priced when it was recorded, so task, session and agent totals are sums of it;
 * `task_context` holds what a task carries beside its state, written only when there is any:
 * its budget and the submitting request's trace context (W3C `traceparent`).
 */
// deno-lint-ignore-file no-explicit-any
import type { Kysely } from "kysely";
import { isPostgres } from "../dialect.ts";

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  await db.schema.createTable("llm_usage")
    .addColumn(
      "id",
      pg ? "bigserial" : "integer",
      (c) => pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn("task_id", "integer", (c) => c.notNull().references("tasks.id").onDelete("cascade"))
    // Kept beside the task so a session's total is one indexed sum.
    .addColumn("session_id", "text", (c) => c.notNull())
    .addColumn("step_number", "integer")
    .addColumn("agent_id", "integer")
    .addColumn("agent_name", "text")
    .addColumn("model", "text", (c) => c.notNull())
    .addColumn("input_tokens", "integer", (c) => c.notNull())
    .addColumn("output_tokens", "integer", (c) => c.notNull())
    // Null: the model had no price when the usage was recorded.
    .addColumn("cost_usd", pg ? "double precision" : "real")
    .addColumn("created_at", pg ? "timestamptz" : "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("llm_usage_by_task").on("llm_usage").column("task_id").execute();
  await db.schema.createIndex("llm_usage_by_session").on("llm_usage").column("session_id")
    .execute();
  await db.schema.createIndex("llm_usage_by_agent").on("llm_usage").column("agent_id").execute();

  await db.schema.createTable("task_context")
    .addColumn(
      "task_id",
      "integer",
      (c) => c.primaryKey().references("tasks.id").onDelete("cascade"),
    )
    // JSON {max_tokens?, max_cost_usd?}
    .addColumn("budget", "text")
    .addColumn("traceparent", "text")
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("task_context").execute();
  await db.schema.dropTable("llm_usage").execute();
}
