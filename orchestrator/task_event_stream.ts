/**
 * A task's events as an async iterator, behind `GET /api/tasks/{id}/events`: the history after
 * a given event id, then each event as it is written, until the task's terminal event, which is
 * always the last one yielded. Heartbeats keep a quiet stream open through proxies.
 */
import type { Kysely } from "kysely";
import {
  type Database,
  findTerminalEvent,
  FINISHED_TASK_STATUSES,
  getTask,
  isPostgres,
  listEvents,
  retriedAfter,
  type Task,
} from "@app/db";
import {
  isTerminalEvent,
  type TaskEvent,
  type TaskEventMessage,
  toEventMessage,
} from "@app/lib/task_events";
import type { Notifier } from "./notifier.ts";
import { EventCursor } from "./event_cursor.ts";

export type TaskStreamItem =
  /** `id` is the event's id in the log (the SSE id), null for one made from the task's row. */
  | { kind: "event"; id: number | null; message: TaskEventMessage }
  | { kind: "heartbeat" };

export interface TaskEventStreamOptions {
  /** Yield only events after this id (the client's Last-Event-ID). */
  afterId?: number;
  /** The client went away: stop, and let go of the notifier. */
  signal?: AbortSignal;
  /** A heartbeat after this long without anything yielded (default 15 s). */
  heartbeatMs?: number;
  /** Without cross-process signals (SQLite), look at the log this often for other writers. */
  recheckMs?: number;
  /**
   * How long a finished task's missing terminal event is waited for before one is made from
   * the task's row (a status and its event committed apart, and the second commit was lost).
   */
  terminalGraceMs?: number;
  /** Events read per query. */
  pageSize?: number;
  /**
   * How long an event with a lower id may still appear after a higher one was read (default:
   * 5 s on Postgres, whose writers commit in either order; 0 on SQLite). See EventCursor.
   */
  settleMs?: number;
}

export interface TaskEventStreamDeps {
  db: Kysely<Database>;
  notifier: Notifier;
}

/** After a finished status, how soon to look for its terminal event again. */
const TERMINAL_RECHECK_MS = 50;

export async function* taskEventStream(
  deps: TaskEventStreamDeps,
  taskId: number,
  options: TaskEventStreamOptions = {},
): AsyncGenerator<TaskStreamItem, void, undefined> {
  const { db, notifier } = deps;
  const { signal } = options;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const recheckMs = options.recheckMs ?? 1_000;
  const graceMs = options.terminalGraceMs ?? 10_000;
  const pageSize = options.pageSize ?? 500;
  const cursor = new EventCursor(
    options.afterId ?? 0,
    options.settleMs ?? (isPostgres(db) ? 5_000 : 0),
  );
  /** The last read filled a page: read on from the last id before looking back. */
  let paging = false;

  // A signal only says "look again"; the database says what happened. `dirty` keeps a signal
  // that arrives while we are reading, so the wait after the read does not miss it.
  let dirty = false;
  let wake: (() => void) | undefined;
  const unsubscribe = notifier.subscribe("task_events", (payload) => {
    if (payload !== String(taskId) && payload !== "*") return;
    dirty = true;
    wake?.();
  });
  const onAbort = () => wake?.();
  signal?.addEventListener("abort", onAbort);
  /** Resolves true after `ms`, false as soon as a signal or the abort comes. */
  const wait = (ms: number) =>
    new Promise<boolean>((resolve) => {
      if (dirty || signal?.aborted) return resolve(false);
      const timer = setTimeout(() => {
        wake = undefined;
        resolve(true);
      }, ms);
      wake = () => {
        clearTimeout(timer);
        wake = undefined;
        resolve(false);
      };
    });

  let lastYield = Date.now();
  /** When the task was first seen finished while its terminal event was not yet in the log. */
  let finishedWithoutEvent: number | undefined;
  let lookedAtTask = false;
  const item = (event: TaskEvent): TaskStreamItem => {
    lastYield = Date.now();
    return { kind: "event", id: event.id, message: toEventMessage(event) };
  };

  try {
    while (!signal?.aborted) {
      dirty = false;
      const read = await listEvents(db, taskId, {
        afterId: cursor.readFrom(paging),
        limit: pageSize,
      });
      const events = cursor.unseen(read);
      for (const event of events) {
        yield item(event);
        cursor.yielded(event.id);
        // Events written after the end (steps cancelled late) are not part of the story.
        if (signal?.aborted) return;
        if (isTerminalEvent(event.type) && !(await retriedAfter(db, taskId, event.id))) return;
      }
      paging = read.length === pageSize;
      if (paging) continue;
      if (events.length === 0 || !lookedAtTask) {
        // Nothing new (or the history just replayed): has the task ended, or gone, with its
        // end not read yet?
        lookedAtTask = true;
        const task = await getTask(db, taskId);
        if (!task) return; // deleted with its session: nothing more will come
        if (FINISHED_TASK_STATUSES.includes(task.status)) {
          const terminal = await findTerminalEvent(db, taskId);
          if (terminal && terminal.id > cursor.last) continue; // committed since the read
          if (terminal) {
            // Already passed: replayed after it, or it committed after a later id was read.
            yield item(terminal);
            return;
          }
          finishedWithoutEvent ??= Date.now();
          if (Date.now() - finishedWithoutEvent >= graceMs) {
            yield { kind: "event", id: null, message: terminalMessageOf(task) };
            return;
          }
          await wait(TERMINAL_RECHECK_MS);
          continue;
        }
      }
      if (dirty) continue;
      const sinceYield = Date.now() - lastYield;
      const quiet = await wait(
        Math.max(
          1,
          Math.min(heartbeatMs - sinceYield, notifier.crossProcess ? heartbeatMs : recheckMs),
        ),
      );
      // A missed signal from another process is caught by the next look, after the wait.
      if (quiet && !signal?.aborted && Date.now() - lastYield >= heartbeatMs) {
        lastYield = Date.now();
        yield { kind: "heartbeat" };
      }
    }
  } finally {
    unsubscribe();
    signal?.removeEventListener("abort", onAbort);
  }
}

/** The terminal event a finished task's row implies, for a log that lost it. */
function terminalMessageOf(task: Task): TaskEventMessage {
  const at = { task_id: task.id, created_at: task.completed_at ?? task.updated_at };
  if (task.status === "completed") {
    return { type: "task.completed", status: "completed", result: task.result, ...at };
  }
  if (task.status === "failed") {
    return { type: "task.failed", status: "failed", error: task.error ?? "failed", ...at };
  }
  return { type: "task.cancelled", status: "cancelled", ...at };
}
