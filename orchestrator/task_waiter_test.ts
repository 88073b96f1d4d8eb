/**
 * The blocking submit's wait skips reading a task just stored only when nothing was signalled
 * for it since: a change signalled in between is read. A wait of 0 ms tells which happened
 * (read: the task as it is; skipped: the time is up with nothing read).
 */
import { assert, assertEquals } from "@app/lib/assert";
import { dbTest, setTaskRow } from "@app/db/testing";
import { createSession, createTask, type Database } from "@app/db";
import { silentLogger } from "@app/lib";
import type { Kysely } from "kysely";
import { createNotifier } from "./notifier.ts";
import { TaskSignals, waitForTaskEnd } from "./task_waiter.ts";

async function pendingTask(db: Kysely<Database>) {
  const session = await createSession(db, { user_id: "u" });
  const { task } = await createTask(db, {
    session_id: session.session_id,
    user_id: "u",
    description: "d",
  });
  return task;
}

dbTest("[waiter] a change signalled after the store is read, not skipped", async ({ db }) => {
  const notifier = await createNotifier(db, silentLogger);
  try {
    const task = await pendingTask(db);
    const signals = new TaskSignals(notifier);
    notifier.publish("task_status", String(task.id)); // its own creation: before the store
    signals.stored();
    await setTaskRow(db, task.id, { status: "completed", completed_at: new Date().toISOString() });
    notifier.publish("task_status", String(task.id));
    const { outcome, head } = await waitForTaskEnd({ db, notifier }, task.id, 0, {
      status: task.status,
      signals,
    });
    assertEquals(outcome, "ended");
    assertEquals(head?.task.status, "completed");
    assertEquals(notifier.listenerCount(), 0, "the signals are closed");
  } finally {
    await notifier.close();
  }
});

dbTest("[waiter] nothing signalled since the store: the task is as stored", async ({ db }) => {
  const notifier = await createNotifier(db, silentLogger);
  try {
    const task = await pendingTask(db);
    const other = await pendingTask(db);
    const signals = new TaskSignals(notifier);
    signals.stored();
    notifier.publish("task_status", String(other.id)); // another task's signal says nothing
    // Its own log grew (a step's progress) with its status as it was: no reason to look.
    notifier.publish("task_events", String(task.id));
    const skipped = await waitForTaskEnd({ db, notifier }, task.id, 0, {
      status: task.status,
      signals,
    });
    assertEquals(skipped.outcome, "timeout", "as stored, still pending");
    assertEquals(skipped.head, undefined, "not read");
    assertEquals(notifier.listenerCount(), 0);

    // Not told it was stored (or without signals at all), the wait reads the task.
    await setTaskRow(db, task.id, { status: "failed", error: "e" });
    const unsure = new TaskSignals(notifier);
    const read = await waitForTaskEnd({ db, notifier }, task.id, 0, {
      status: task.status,
      signals: unsure,
    });
    assertEquals(read.outcome, "ended");
    assertEquals(read.head?.task.status, "failed");
    assert((await waitForTaskEnd({ db, notifier }, task.id, 0)).head);
    // "*" (signals lost while the LISTEN connection was down) is a change for every task.
    const all = new TaskSignals(notifier);
    all.stored();
    notifier.publish("task_status", "*");
    const woken = await waitForTaskEnd({ db, notifier }, task.id, 0, {
      status: task.status,
      signals: all,
    });
    assertEquals(woken.outcome, "ended");
  } finally {
    await notifier.close();
  }
});
