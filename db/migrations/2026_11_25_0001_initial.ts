/** The whole data model of the blueprint, with the indexes the API's queries use. */
// deno-lint-ignore-file no-explicit-any
import { type Kysely, sql } from "kysely";
import { isPostgres } from "../dialect.ts";

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  const time = pg ? "timestamptz" : "text";
  const id = (big = false) => (pg ? (big ? "bigserial" : "serial") : "integer");
  const now = pg ? sql`now()` : sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;

  await db.schema.createTable("agents")
    .addColumn("id", id(), (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn("name", "text", (c) => c.notNull().unique())
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("agent_type", "text", (c) => c.notNull())
    .addColumn("endpoint", "text", (c) => c.notNull())
    .addColumn("capabilities", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("status", "text", (c) => c.notNull().defaultTo("active"))
    .addColumn("config", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("metadata", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("last_seen_at", time)
    .addColumn("last_error", "text")
    .addColumn("created_at", time, (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", time, (c) => c.notNull().defaultTo(now))
    .execute();

  await db.schema.createTable("sessions")
    .addColumn("id", id(), (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn("session_id", "text", (c) => c.notNull().unique())
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("metadata", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("created_at", time, (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", time, (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex("sessions_by_user").on("sessions")
    .columns(["user_id", "updated_at"]).execute();
  await db.schema.createIndex("sessions_by_activity").on("sessions")
    .columns(["updated_at", "id"]).execute();

  await db.schema.createTable("tasks")
    .addColumn("id", id(), (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn(
      "session_id",
      "text",
      (c) => c.notNull().references("sessions.session_id").onDelete("cascade"),
    )
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().defaultTo("pending"))
    .addColumn("plan", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("result", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("metadata", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("error", "text")
    .addColumn("lease_owner", "text")
    .addColumn("lease_expires_at", time)
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", time, (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", time, (c) => c.notNull().defaultTo(now))
    .addColumn("completed_at", time)
    .execute();
  await db.schema.createIndex("tasks_by_session_status").on("tasks")
    .columns(["session_id", "status", "id"]).execute();
  await db.schema.createIndex("tasks_by_status").on("tasks").columns(["status", "id"]).execute();
  // Only unfinished tasks are ever claimed, so the claim index stays as small as the backlog.
  await db.schema.createIndex("tasks_claimable").on("tasks").columns(["lease_expires_at", "id"])
    .where(sql.ref("status"), "in", ["pending", "planning", "executing"]).execute();

  await db.schema.createTable("task_steps")
    .addColumn("id", id(), (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn("task_id", "integer", (c) => c.notNull().references("tasks.id").onDelete("cascade"))
    .addColumn("step_number", "integer", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("capability", "text", (c) => c.notNull())
    .addColumn("agent_id", "integer")
    .addColumn("dependencies", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("status", "text", (c) => c.notNull().defaultTo("pending"))
    .addColumn("input_data", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("output_data", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("error", "text")
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("started_at", time)
    .addColumn("completed_at", time)
    .addUniqueConstraint("task_steps_task_step_unique", ["task_id", "step_number"])
    .execute();

  await db.schema.createTable("messages")
    .addColumn("id", id(true), (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn(
      "session_id",
      "text",
      (c) => c.notNull().references("sessions.session_id").onDelete("cascade"),
    )
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("content", "text", (c) => c.notNull())
    .addColumn("task_id", "integer")
    .addColumn("metadata", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("created_at", time, (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex("messages_by_session_time").on("messages")
    .columns(["session_id", "created_at", "id"]).execute();

  await db.schema.createTable("task_events")
    .addColumn("id", id(true), (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn("task_id", "integer", (c) => c.notNull().references("tasks.id").onDelete("cascade"))
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("data", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("created_at", time, (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex("task_events_by_task").on("task_events")
    .columns(["task_id", "id"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["task_events", "messages", "task_steps", "tasks", "sessions", "agents"]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
