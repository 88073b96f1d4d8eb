/** The append-only log of task events behind live progress and SSE replay. */
import type { Kysely, Selectable, Transaction } from "kysely";
import type { Database, TaskEventsTable } from "../schema.ts";
import type { JsonObject, TaskEvent } from "../types.ts";
import { fromJson, isoNow, toJson } from "../codec.ts";
import { isPostgres } from "../dialect.ts";
import { rawQuery, SQL } from "../raw.ts";

type Db = Kysely<Database> | Transaction<Database>;

function toEvent(row: Selectable<TaskEventsTable>): TaskEvent {
  return { ...row, data: fromJson(row.data, {}) };
}

export async function appendEvent(
  db: Db,
  taskId: number,
  type: string,
  data: JsonObject = {},
): Promise<TaskEvent> {
  const [row] = await rawQuery<Selectable<TaskEventsTable>>(db, SQL.insertEvent, [
    taskId,
    type,
    toJson(data),
    isoNow(),
  ]);
  return toEvent(row);
}

export interface NewEvent {
  task_id: number;
  type: string;
  data: JsonObject;
  created_at: string;
}

/** Appends many events, in order, without reading them back: the write path of a batch. */
export async function insertEvents(db: Db, events: readonly NewEvent[]): Promise<void> {
  if (!events.length) return;
  if (isPostgres(db)) {
    await rawQuery(db, SQL.insertEventArrays, [
      events.map((e) => e.task_id),
      events.map((e) => e.type),
      events.map((e) => toJson(e.data)),
      events.map((e) => e.created_at),
    ]);
    return;
  }
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
