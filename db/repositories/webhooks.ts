/**
 * Webhooks in the database: a task's subscriptions, and the outbox of deliveries. A delivery
 * row is written in the transaction of the event it tells of (from the write batch's appends),
 * claimed with a lease by one process at a time (Postgres: SKIP LOCKED), and ends delivered or
 * failed; a lease that runs out (its process died) leaves the row to be claimed again.
 */
import type { Kysely, Transaction } from "kysely";
import type { Database, WebhookDeliveriesTable } from "../schema.ts";
import type { Selectable } from "kysely";
import { affected, isoNow, toJson } from "../codec.ts";
import { isPostgres } from "../dialect.ts";

type Db = Kysely<Database> | Transaction<Database>;

export interface TaskWebhook {
  url: string;
  events: readonly string[];
}

export type WebhookDelivery = Selectable<WebhookDeliveriesTable>;

/** Stores a task's webhooks (in the transaction that stores the task). */
export async function insertTaskWebhooks(
  db: Db,
  taskId: number,
  webhooks: readonly TaskWebhook[],
): Promise<void> {
  if (!webhooks.length) return;
  // One row per URL: the same URL asked twice (a task's own and WEBHOOK_URL) gets the union.
  const byUrl = new Map<string, Set<string>>();
  for (const w of webhooks) {
    const events = byUrl.get(w.url) ?? new Set();
    for (const e of w.events) events.add(e);
    byUrl.set(w.url, events);
  }
  await db.insertInto("task_webhooks").values(
    [...byUrl].map(([url, events]) => ({ task_id: taskId, url, events: toJson([...events]) })),
  ).execute();
}

export async function getTaskWebhooks(db: Db, taskId: number): Promise<TaskWebhook[]> {
  const rows = await db.selectFrom("task_webhooks").select(["url", "events"])
    .where("task_id", "=", taskId).orderBy("url").execute();
  return rows.map((r) => ({ url: r.url, events: JSON.parse(r.events) }));
}

/**
 * Takes up to `limit` due deliveries for `owner` (pending, due, and not leased or leased to a
 * process that stopped renewing), counting the attempt.
 */
export async function claimWebhookDeliveries(
  db: Kysely<Database>,
  owner: string,
  leaseMs: number,
  limit: number,
): Promise<WebhookDelivery[]> {
  const now = isoNow();
  const until = isoNow(new Date(Date.now() + leaseMs));
  const due = db.selectFrom("webhook_deliveries").select("id")
    .where("status", "=", "pending").where("next_attempt_at", "<=", now)
    .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<=", now)]))
    .orderBy("next_attempt_at").orderBy("id").limit(limit);
  return await db.updateTable("webhook_deliveries")
    .set((eb) => ({
      lease_owner: owner,
      lease_until: until,
      attempts: eb("attempts", "+", 1),
    }))
    .where("id", "in", isPostgres(db) ? due.forUpdate().skipLocked() : due)
    .returningAll().execute();
}

const leased = (db: Db, id: number, owner: string) =>
  db.updateTable("webhook_deliveries").where("id", "=", id).where("lease_owner", "=", owner)
    .where("status", "=", "pending");

/** The receiver took it. False when the lease was lost meanwhile. */
export async function markWebhookDelivered(db: Db, id: number, owner: string): Promise<boolean> {
  const now = isoNow();
  const result = await leased(db, id, owner)
    .set({ status: "delivered", delivered_at: now, lease_owner: null, lease_until: null })
    .executeTakeFirst();
  return affected(result) === 1;
}

/** Another attempt at `nextAttemptAt`, after `error`. */
export async function rescheduleWebhookDelivery(
  db: Db,
  id: number,
  owner: string,
  nextAttemptAt: string,
  error: string,
): Promise<boolean> {
  const result = await leased(db, id, owner)
    .set({
      next_attempt_at: nextAttemptAt,
      last_error: error,
      lease_owner: null,
      lease_until: null,
    })
    .executeTakeFirst();
  return affected(result) === 1;
}

/** Given up after `error` (in the transaction that records it in the task's events). */
export async function failWebhookDelivery(
  db: Db,
  id: number,
  owner: string,
  error: string,
): Promise<boolean> {
  const result = await leased(db, id, owner)
    .set({ status: "failed", last_error: error, lease_owner: null, lease_until: null })
    .executeTakeFirst();
  return affected(result) === 1;
}

export async function listWebhookDeliveries(db: Db, taskId?: number): Promise<WebhookDelivery[]> {
  let query = db.selectFrom("webhook_deliveries").selectAll().orderBy("id");
  if (taskId !== undefined) query = query.where("task_id", "=", taskId);
  return await query.execute();
}

/** When the next pending delivery is due, if any: the dispatcher sleeps until then. */
export async function nextWebhookDue(db: Db): Promise<string | undefined> {
  const row = await db.selectFrom("webhook_deliveries").select("next_attempt_at")
    .where("status", "=", "pending").orderBy("next_attempt_at").limit(1).executeTakeFirst();
  return row?.next_attempt_at;
}
