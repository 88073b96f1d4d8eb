/** The append-only log of task events behind live progress and SSE replay. */
import type { Kysely, Selectable, Transaction } from "kysely";
import type { Database, TaskEventsTable } from "../schema.ts";
import { type NewTaskEvent, TERMINAL_EVENT_TYPES } from "@app/lib/task_events";
import type { TaskEvent } from "../types.ts";
import { isoNow, toJson } from "../codec.ts";
import { eventRows } from "../rows.ts";
import { statement } from "../statement.ts";

type Db = Kysely<Database> | Transaction<Database>;

/** Rows are written only from `NewTaskEvent`s, so a stored type and its data agree. */
function toEvent(row: Selectable<TaskEventsTable>): TaskEvent {
  return eventRows.decode(row) as TaskEvent;
}

type EventParams = { task_id: number; type: string; data: string; created_at: string };

// Columns named, never `*`: hot statements are prepared once per Postgres connection, and a
// prepared `*` fails ("cached plan must not change result type") once a migration adds a
// column under a running orchestrator.
const insertEvent = statement<EventParams, Selectable<TaskEventsTable>>(
  `insert into "task_events" ("task_id", "type", "data", "created_at") ` +
    `values (:task_id, :type, :data, :created_at) ` +
    `returning "id", "task_id", "type", "data", "created_at"`,
);

const insertEventRow = statement<EventParams>(
  `insert into "task_events" ("task_id", "type", "data", "created_at") ` +
    `values (:task_id, :type, :data, :created_at)`,
);

export async function appendEvent(
  db: Db,
  taskId: number,
  event: NewTaskEvent,
): Promise<TaskEvent> {
  const [row] = await insertEvent.query(db, {
    task_id: taskId,
    type: event.type,
    data: toJson(event.data),
    created_at: isoNow(),
  });
  return toEvent(row);
}

export type NewEvent = NewTaskEvent & { task_id: number; created_at: string };

/**
 * Appends many events, in order, without reading them back, one prepared statement per row
 * (Postgres batches go through its dialect's `insertAppends` instead, in one statement).
 */
export async function insertEvents(db: Db, events: readonly NewEvent[]): Promise<void> {
  for (const e of events) {
    await insertEventRow.execute(db, {
      task_id: e.task_id,
      type: e.type,
      data: toJson(e.data),
      created_at: e.created_at,
    });
  }
}

/** Events of a task after `afterId` (exclusive), oldest first. */
export async function listEvents(
  db: Db,
  taskId: number,
  options: { afterId?: number; limit?: number } = {},
): Promise<TaskEvent[]> {
  let query = db.selectFrom("task_events").selectAll().where("task_id", "=", taskId)
    .orderBy("id").limit(options.limit ?? 1000);
  if (options.afterId !== undefined) query = query.where("id", ">", options.afterId);
  return (await query.execute()).map(toEvent);
}

/** A task's terminal event (task.completed, .failed or .cancelled), if its log holds one yet. */
export async function findTerminalEvent(db: Db, taskId: number): Promise<TaskEvent | undefined> {
  // The last one: a retried task (task.retried) ends again after its first end.
  const row = await db.selectFrom("task_events").selectAll().where("task_id", "=", taskId)
    .where("type", "in", TERMINAL_EVENT_TYPES).orderBy("id", "desc").limit(1).executeTakeFirst();
  return row && toEvent(row);
}

/** Whether the task was retried after event `afterId` (its story goes on past that end). */
export async function retriedAfter(db: Db, taskId: number, afterId: number): Promise<boolean> {
  const row = await db.selectFrom("task_events").select("id").where("task_id", "=", taskId)
    .where("type", "=", "task.retried").where("id", ">", afterId).limit(1).executeTakeFirst();
  return row !== undefined;
}
