/** The append-only log of task events behind live progress and SSE replay. */
import type { Kysely, Selectable, Transaction } from "kysely";
import type { Database, TaskEventsTable } from "../schema.ts";
import { type NewTaskEvent, TERMINAL_EVENT_TYPES } from "@app/lib/task_events";
import type { TaskEvent } from "../types.ts";
import { fromJson, isoNow, toJson } from "../codec.ts";
import { rawQuery, SQL } from "../raw.ts";

type Db = Kysely<Database> | Transaction<Database>;

/** Rows are written only from `NewTaskEvent`s, so a stored type and its data agree. */
function toEvent(row: Selectable<TaskEventsTable>): TaskEvent {
  return { ...row, data: fromJson(row.data, {}) } as TaskEvent;
}

export async function appendEvent(
  db: Db,
  taskId: number,
  event: NewTaskEvent,
): Promise<TaskEvent> {
  const [row] = await rawQuery<Selectable<TaskEventsTable>>(db, SQL.insertEvent, [
    taskId,
    event.type,
    toJson(event.data),
    isoNow(),
  ]);
  return toEvent(row);
}

export type NewEvent = NewTaskEvent & { task_id: number; created_at: string };

/**
 * Appends many events, in order, without reading them back, one prepared statement per row
 * (Postgres batches go through `insertAppends` instead, in one statement).
 */
export async function insertEvents(db: Db, events: readonly NewEvent[]): Promise<void> {
  for (const e of events) {
    await rawQuery(db, SQL.insertEventRow, [e.task_id, e.type, toJson(e.data), e.created_at]);
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
  const row = await db.selectFrom("task_events").selectAll().where("task_id", "=", taskId)
    .where("type", "in", TERMINAL_EVENT_TYPES).orderBy("id").limit(1).executeTakeFirst();
  return row && toEvent(row);
}
