/**
 * Retention (TASK_RETENTION_DAYS): a task finished long enough ago keeps its row, its steps,
 * its session and messages, and of its event log only the terminal event, so its history still
 * ends (an event stream replays just the end) while the log stops growing with every task ever
 * run. Tasks are walked in id order from a watermark, so a sweep reads only what is new.
 */
import type { Kysely } from "kysely";
import { FINISHED_TASK_STATUSES, TERMINAL_EVENT_TYPES } from "@app/lib/task_events";
import type { Database } from "../schema.ts";

export interface CompactionPage {
  /** Tasks whose logs were compacted in this page. */
  tasks: number;
  /** Events removed. */
  events: number;
  /** The highest task id passed; the next page starts after it. */
  watermark: number;
  /** False when the walk stopped at a task not yet old enough (or unfinished), or the end. */
  more: boolean;
}

/**
 * Compacts the logs of up to `limit` tasks after `afterId`, in id order, stopping at the first
 * task that is unfinished or finished after `cutoff` (ISO time): ids grow with submission time,
 * so what lies beyond it is nearly all newer, and the next sweep starts there.
 */
export async function compactFinishedTaskEvents(
  db: Kysely<Database>,
  options: { afterId: number; cutoff: string; limit: number },
): Promise<CompactionPage> {
  const rows = await db.selectFrom("tasks").select(["id", "status", "completed_at"])
    .where("id", ">", options.afterId).orderBy("id").limit(options.limit).execute();
  const old: number[] = [];
  let blocked = false;
  for (const row of rows) {
    const finished = FINISHED_TASK_STATUSES.includes(row.status as never) && row.completed_at;
    if (!finished || row.completed_at! >= options.cutoff) {
      blocked = true;
      break;
    }
    old.push(row.id);
  }
  let events = 0;
  if (old.length) {
    const result = await db.deleteFrom("task_events")
      .where("task_id", ">=", old[0])
      .where("task_id", "<=", old.at(-1)!)
      .where("type", "not in", [...TERMINAL_EVENT_TYPES])
      .executeTakeFirst();
    events = Number(result.numDeletedRows);
  }
  return {
    tasks: old.length,
    events,
    watermark: old.at(-1) ?? options.afterId,
    more: !blocked && rows.length === options.limit,
  };
}
