/**
 * Webhooks: each task's subscriptions (`task_webhooks`, written with the task) and the outbox
 * of deliveries (`webhook_deliveries`, a row written in the transaction of the event it tells
 * of), claimed with a lease by one orchestrator process at a time and retried until delivered
 * or given up.
 */
// deno-lint-ignore-file no-explicit-any
import { type Kysely, sql } from "kysely";
import { isPostgres } from "../dialect.ts";

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  const time = pg ? "timestamptz" : "text";
  await db.schema.createTable("task_webhooks")
    .addColumn("task_id", "integer", (c) => c.notNull().references("tasks.id").onDelete("cascade"))
    .addColumn("url", "text", (c) => c.notNull())
    // A JSON array of the event types it wants.
    .addColumn("events", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("task_webhooks_pkey", ["task_id", "url"])
    .execute();

  await db.schema.createTable("webhook_deliveries")
    .addColumn(
      "id",
      pg ? "bigserial" : "integer",
      (c) => pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    // X-Webhook-Id: random, the same on every attempt, so a receiver can drop repeats.
    .addColumn("delivery_id", "text", (c) => c.notNull().unique())
    .addColumn("task_id", "integer", (c) => c.notNull().references("tasks.id").onDelete("cascade"))
    .addColumn("event", "text", (c) => c.notNull())
    .addColumn("url", "text", (c) => c.notNull())
    .addColumn("event_created_at", time, (c) => c.notNull())
    // pending (due at next_attempt_at, unless leased), delivered, failed (gave up).
    .addColumn("status", "text", (c) => c.notNull().defaultTo("pending"))
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_attempt_at", time, (c) => c.notNull())
    .addColumn("lease_owner", "text")
    .addColumn("lease_until", time)
    .addColumn("last_error", "text")
    .addColumn("created_at", time, (c) => c.notNull())
    .addColumn("delivered_at", time)
    .execute();
  // Only pending rows are ever claimed: the index stays as small as the backlog.
  await db.schema.createIndex("webhook_deliveries_due").on("webhook_deliveries")
    .columns(["next_attempt_at", "id"]).where(sql.ref("status"), "=", "pending").execute();
  await db.schema.createIndex("webhook_deliveries_by_task").on("webhook_deliveries")
    .column("task_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("webhook_deliveries").execute();
  await db.schema.dropTable("task_webhooks").execute();
}
