/**
 * What TaskLifecycle shares with its companions (human_waits.ts, cancel_retry.ts): each writes
 * its changes through the same batch and announces them the same way, so a change is never
 * seen without its event, wherever its code lives.
 */
import type { Kysely, Transaction } from "kysely";
import type { BatchAppends, Database, WriteBatcher } from "@app/db";
import type { Notifier } from "../notifier.ts";

export type Write<T> = (trx: Transaction<Database>, appends: BatchAppends) => Promise<T>;

export interface LifecycleCore {
  /** For reads after a change (the task as it is now). */
  db: Kysely<Database>;
  writes: Pick<WriteBatcher, "run">;
  notifier: Pick<Notifier, "publish">;
  /** A change and its events in one transaction, announced once written; false if declined. */
  record(taskId: number, write: Write<boolean>): Promise<boolean>;
  /** Tells the task's watchers it has new events and its status may have changed. */
  announce(taskId: number): void;
}
