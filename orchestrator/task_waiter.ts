/**
 * Waiting for a task to end, for a blocking submit (`Prefer: wait`), or to wait on a person
 * (its plan awaiting approval, or a step's question): then nothing happens until someone acts.
 * The notifier only says "look again" (`task_status`: its status may have changed; a step's
 * progress alone says nothing); the task's row says whether it has ended. Without
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

/** Past this many distinct signals heard, every task is taken as signalled (memory bound). */
const MAX_HEARD = 10_000;

/**
 * The status signals heard since a task was stored, before its waiter subscribes: opened
 * before its submit and told when the task is stored (its own announcement just made, no
 * later change committed yet: any takes a write batch's turn), it tells whether the task has
 * changed since.
 */
export class TaskSignals {
  readonly #heard = new Set<string>();
  readonly #unsubscribe: () => void;
  #stored = false;

  constructor(notifier: Notifier) {
    this.#unsubscribe = notifier.subscribe("task_status", (payload) => {
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
  // Only a change of status can end the wait: a step's progress is no reason to look.
  const unsubscribe = deps.notifier.subscribe("task_status", (payload) => {
    if (payload !== String(taskId) && payload !== "*") return;
    dirty = true;
    wake?.();
  });
  // Our own subscription is open: the submit's can go (no await between, so no gap).
  let unchanged = submitted !== undefined && !submitted.signals.heardFor(taskId) &&
    isUnderWay(submitted.status);
  submitted?.signals.close();
  try {
    let head: TaskHead | undefined;
    while (true) {
      if (unchanged) unchanged = false;
      else {
        dirty = false;
        // The head (task, context, usage or not): the ended task's view need not read it again.
        head = await getTaskHead(deps.db, taskId);
        if (!head) return { outcome: "timeout" };
        const { status } = head.task;
        if (FINISHED_TASK_STATUSES.includes(status)) return { outcome: "ended", head };
        if (WAITING_ON_A_PERSON.includes(status)) return { outcome: "waiting", head };
      }
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

/** Neither ended nor waiting on a person: only a signal (or time) can tell more. */
function isUnderWay(status: TaskStatus): boolean {
  return !FINISHED_TASK_STATUSES.includes(status) && !WAITING_ON_A_PERSON.includes(status);
}
