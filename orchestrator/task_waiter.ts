/**
 * Waiting for a task to end, for a blocking submit (`Prefer: wait`), or to wait on a person
 * (its plan awaiting approval, or a step's question): then nothing happens until someone acts. The notifier only says
 * "look again" (a task's log grew); the task's row says whether it has ended. Without
 * cross-process signals (SQLite, a task run by another process) the row is read again now and
 * then, so the wait never depends on a signal arriving.
 */
import type { Kysely } from "kysely";
import { type Database, FINISHED_TASK_STATUSES, type TaskHead, taskStatusReader } from "@app/db";
import type { TaskStatus } from "@app/lib/task_events";
import type { Notifier } from "./notifier.ts";

export interface TaskWaiterDeps {
  db: Kysely<Database>;
  notifier: Notifier;
}

/** Statuses in which a task waits for a person, not for the orchestrator. */
const WAITING_ON_A_PERSON: readonly TaskStatus[] = ["awaiting_approval", "input_required"];
/** Each signal's read: the status, and the task's head only where a wait ends. */
const readStatus = taskStatusReader([...FINISHED_TASK_STATUSES, ...WAITING_ON_A_PERSON]);

/** Ended; waiting on a person; or still going when the time was up (or gone). */
export type WaitOutcome = "ended" | "waiting" | "timeout";

export interface WaitResult {
  outcome: WaitOutcome;
  /** The task's status as last read; none when it was not read, or the task is gone. */
  status?: TaskStatus;
  /** Its head (with its context), read with the status that ended the wait, for its view. */
  head?: TaskHead;
}

/** How often the row is read again when no signal comes. */
const RECHECK_MS = 1_000;

/** Past this many distinct signals heard, every task is taken as signalled (memory bound). */
const MAX_HEARD = 10_000;

/**
 * The task-event signals heard since a task was stored, before its waiter subscribes: opened
 * before its submit and told when the task is stored (its own announcement just made, no
 * later change committed yet: any takes a write batch's turn), it tells whether the task has
 * changed since.
 */
export class TaskSignals {
  readonly #heard = new Set<string>();
  readonly #unsubscribe: () => void;
  #stored = false;

  constructor(notifier: Notifier) {
    this.#unsubscribe = notifier.subscribe("task_events", (payload) => {
      if (this.#heard.size < MAX_HEARD) this.#heard.add(payload);
    });
  }

  /** The task is stored: what was signalled before (its own creation among it) is moot. */
  stored(): void {
    this.#heard.clear();
    this.#stored = true;
  }

  /** Whether it may have changed since stored: signalled (or all were), or not known stored. */
  heardFor(taskId: number): boolean {
    return !this.#stored || this.#heard.has(String(taskId)) || this.#heard.has("*") ||
      this.#heard.size >= MAX_HEARD;
  }

  close(): void {
    this.#unsubscribe();
    this.#heard.clear();
  }
}

/** The task as its submit stored it, and the signals heard since before that submit. */
export interface SubmittedTask {
  status: TaskStatus;
  signals: TaskSignals;
}

export async function waitForTaskEnd(
  deps: TaskWaiterDeps,
  taskId: number,
  timeoutMs: number,
  /**
   * Given, and nothing signalled for the task since it was stored, its first read is skipped:
   * it is as stored. A signal missed anyway costs at most one recheck, never a wrong answer.
   */
  submitted?: SubmittedTask,
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
  // Our own subscription is open: the submit's can go (no await between, so no gap).
  let unchanged = submitted !== undefined && !submitted.signals.heardFor(taskId) &&
    isUnderWay(submitted.status);
  submitted?.signals.close();
  try {
    let status: TaskStatus | undefined;
    while (true) {
      if (unchanged) unchanged = false;
      else {
        dirty = false;
        // Only the status on each signal; the head once, with the status that ends the wait.
        const read = await readStatus(deps.db, taskId);
        if (!read) return { outcome: "timeout" };
        const { head } = read;
        status = read.status;
        if (FINISHED_TASK_STATUSES.includes(status)) return { outcome: "ended", status, head };
        if (WAITING_ON_A_PERSON.includes(status)) return { outcome: "waiting", status, head };
      }
      const left = deadline - Date.now();
      if (left <= 0) return { outcome: "timeout", status };
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

/** Neither ended nor waiting on a person: only a signal (or time) can tell more. */
function isUnderWay(status: TaskStatus): boolean {
  return !FINISHED_TASK_STATUSES.includes(status) && !WAITING_ON_A_PERSON.includes(status);
}
