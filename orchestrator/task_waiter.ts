/**
 * Waiting for a task to end, for a blocking submit (`Prefer: wait`), or to wait on a person
 * (its plan awaiting approval, or a step's question): then nothing happens until someone acts. The notifier only says
 * "look again" (a task's log grew); the task's row says whether it has ended. Without
 * cross-process signals (SQLite, a task run by another process) the row is read again now and
 * then, so the wait never depends on a signal arriving.
 */
import type { Kysely } from "kysely";
import { type Database, FINISHED_TASK_STATUSES, getTaskHead, type TaskHead } from "@app/db";
import type { TaskStatus } from "@app/lib/task_events";
import type { Notifier } from "./notifier.ts";

export interface TaskWaiterDeps {
  db: Kysely<Database>;
  notifier: Notifier;
}

/** Statuses in which a task waits for a person, not for the orchestrator. */
const WAITING_ON_A_PERSON: readonly TaskStatus[] = ["awaiting_approval", "input_required"];

/** Ended; waiting on a person; or still going when the time was up (or gone). */
export type WaitOutcome = "ended" | "waiting" | "timeout";

export interface WaitResult {
  outcome: WaitOutcome;
  /** The task's head as last read (with its context), for its view; none if it is gone. */
  head?: TaskHead;
}

/** How often the row is read again when no signal comes. */
const RECHECK_MS = 1_000;

export async function waitForTaskEnd(
  deps: TaskWaiterDeps,
  taskId: number,
  timeoutMs: number,
): Promise<WaitResult> {
  const deadline = Date.now() + timeoutMs;
  let dirty = false;
  let wake: (() => void) | undefined;
  // Subscribed before the first read, so a signal sent between the read and the wait is kept.
  const unsubscribe = deps.notifier.subscribe("task_events", (payload) => {
    if (payload !== String(taskId) && payload !== "*") return;
    dirty = true;
    wake?.();
  });
  try {
    while (true) {
      dirty = false;
      // The head (task, context, usage or not), so the ended task's view need not read it again.
      const head = await getTaskHead(deps.db, taskId);
      if (!head) return { outcome: "timeout" };
      const { status } = head.task;
      if (FINISHED_TASK_STATUSES.includes(status)) return { outcome: "ended", head };
      if (WAITING_ON_A_PERSON.includes(status)) return { outcome: "waiting", head };
      const left = deadline - Date.now();
      if (left <= 0) return { outcome: "timeout", head };
      if (dirty) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(left, RECHECK_MS));
        function done() {
          clearTimeout(timer);
          wake = undefined;
          resolve();
        }
        wake = done;
      });
    }
  } finally {
    unsubscribe();
  }
}
