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
  /**
   * Tasks passed over unfinished although submitted before the cutoff (waiting on a person,
   * say): the caller looks at them again by id (`compactTaskEvents`) once they have ended.
   */
  passed: number[];
  /** False when the walk stopped at a task submitted or finished after the cutoff, or the end. */
  more: boolean;
}

type TaskAge = { id: number; status: string; created_at: string; completed_at: string | null };

const oldEnough = (task: TaskAge, cutoff: string) =>
  FINISHED_TASK_STATUSES.includes(task.status as never) && task.completed_at !== null &&
  task.completed_at < cutoff;

/** Deletes all but the terminal events of these tasks; the number deleted. */
async function keepOnlyTheEnd(db: Kysely<Database>, taskIds: number[]): Promise<number> {
  if (!taskIds.length) return 0;
  const result = await db.deleteFrom("task_events").where("task_id", "in", taskIds)
    .where("type", "not in", [...TERMINAL_EVENT_TYPES]).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Compacts the logs of up to `limit` tasks after `afterId`, in id order, stopping at the first
 * task submitted or finished after `cutoff` (ISO time): ids grow with submission time, so what
 * lies beyond it is nearly all newer, and the next sweep starts there. An unfinished task
 * submitted before the cutoff does not stop the walk; it is passed over and reported.
 */
export async function compactFinishedTaskEvents(
  db: Kysely<Database>,
  options: { afterId: number; cutoff: string; limit: number },
): Promise<CompactionPage> {
  const rows = await db.selectFrom("tasks").select(["id", "status", "created_at", "completed_at"])
    .where("id", ">", options.afterId).orderBy("id").limit(options.limit).execute();
  const old: number[] = [];
  const passed: number[] = [];
  let watermark = options.afterId;
  let blocked = false;
  for (const row of rows) {
    if (oldEnough(row, options.cutoff)) old.push(row.id);
    else if (
      !FINISHED_TASK_STATUSES.includes(row.status as never) && row.created_at < options.cutoff
    ) passed.push(row.id);
    else {
      blocked = true;
      break;
    }
    watermark = row.id;
  }
  return {
    tasks: old.length,
    events: await keepOnlyTheEnd(db, old),
    watermark,
    passed,
    more: !blocked && rows.length === options.limit,
  };
}

/** Compacts those of these tasks that finished before `cutoff`; the ids compacted. */
export async function compactTaskEvents(
  db: Kysely<Database>,
  taskIds: number[],
  cutoff: string,
): Promise<{ compacted: number[]; events: number }> {
  if (!taskIds.length) return { compacted: [], events: 0 };
  const rows = await db.selectFrom("tasks").select(["id", "status", "created_at", "completed_at"])
    .where("id", "in", taskIds).execute();
  const compacted = rows.filter((row) => oldEnough(row, cutoff)).map((row) => row.id);
  return { compacted, events: await keepOnlyTheEnd(db, compacted) };
}
