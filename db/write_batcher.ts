/**
 * Group commit. Writes issued in the same turn of the event loop (by many requests and many
 * running tasks at once) are applied in one transaction: on SQLite a commit rewrites every
 * B-tree page it touched, so one commit for fifty tasks' rows costs little more than one for
 * one task's. Each caller's promise settles after the commit, so nothing is reported done
 * before it is durable. If the batch fails, each write is retried alone, so one bad write
 * (a constraint, say) fails only its own caller.
 *
 * Events and messages, which nobody reads back in the same transaction, are collected from the
 * whole batch and inserted together at its end: on Postgres one statement each instead of one
 * round trip per row. On Postgres a batch also carries the NOTIFYs waiting to leave (see
 * `CommitRider`): Postgres delivers them at its commit, so they need no statement and no
 * commit of their own.
 */
import { setImmediate } from "node:timers";
import type { Kysely, Transaction } from "kysely";
import type { Database } from "./schema.ts";
import type { NewTaskEvent } from "@app/lib/task_events";
import { isoNow } from "./codec.ts";
import type { NewEvent } from "./repositories/events.ts";
import type { NewMessage } from "./repositories/sessions.ts";
import { sqlDialect } from "./dialect.ts";
import type { Notifications } from "./notify.ts";

/**
 * Something that may leave with any batch's commit: the notifier's NOTIFYs of writes already
 * committed. Carried in a later batch's transaction, they are delivered when it commits.
 */
export interface CommitRider {
  /** What waits to leave now; the batch sends it with its appends, just before it commits. */
  take(): Notifications | undefined;
  /** A batch ended: what it `carried` left if it `committed`, and must go another way if not. */
  settled(carried: Notifications | undefined, committed: boolean): void;
}

/** Rows a write appends at the end of its batch's transaction. */
export class BatchAppends {
  readonly events: NewEvent[] = [];
  readonly messages: NewMessage[] = [];
  /** NOTIFYs the batch carries (see CommitRider). */
  notifications: Notifications | undefined;
  /** Webhook deliveries the batch's events put in the outbox. */
  deliveries = 0;

  event(taskId: number, event: NewTaskEvent): void {
    this.events.push({ task_id: taskId, ...event, created_at: isoNow() });
  }

  message(message: Omit<NewMessage, "created_at">): void {
    this.messages.push({ ...message, created_at: isoNow() });
  }

  async write(trx: Transaction<Database>): Promise<void> {
    if (!this.events.length && !this.messages.length && !this.notifications) return;
    // With the outbox: a delivery is written with the event it tells of, or not at all.
    this.deliveries = await sqlDialect(trx).insertAppends(
      trx,
      this.events,
      this.messages,
      this.notifications,
    );
  }
}

type Work<T> = (trx: Transaction<Database>, appends: BatchAppends) => Promise<T>;

interface Pending {
  work: Work<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

export class WriteBatcher {
  readonly #db: Kysely<Database>;
  readonly #maxBatch: number;
  readonly #maxFlushes: number;
  #queue: Pending[] = [];
  #scheduled = false;
  #flushing = 0;
  /** Batches open that have not yet sent their appends (they may still take a rider's). */
  #beforeAppends = 0;
  /** Batches committed and writes applied, for the benchmark's curiosity. */
  readonly stats = { batches: 0, writes: 0 };

  /**
   * `concurrency` is how many batch transactions may be open at once: 1 for SQLite (one
   * writer anyway); more for Postgres, whose pool runs transactions side by side while each
   * statement waits for a network round trip.
   */
  /** Called after a commit that put webhook deliveries in the outbox. */
  onDeliveries: () => void = () => {};
  /** What each batch takes along into its transaction (the Postgres notifier's NOTIFYs). */
  rider: CommitRider | undefined;

  constructor(
    db: Kysely<Database>,
    options: { maxBatch?: number; concurrency?: number } = {},
  ) {
    this.#db = db;
    this.#maxBatch = options.maxBatch ?? 200;
    this.#maxFlushes = options.concurrency ?? 1;
  }

  /** Runs `work` in a transaction shared with the other writes of this moment. */
  run<T>(work: Work<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      this.#schedule();
    });
  }

  /**
   * A batch will send its appends after now (one is running its writes, or writes wait for
   * one): what a rider has waiting will leave with it.
   */
  get appendsAhead(): boolean {
    return this.#queue.length > 0 || this.#beforeAppends > 0;
  }

  #schedule(): void {
    if (this.#scheduled || !this.#queue.length || this.#flushing >= this.#maxFlushes) return;
    this.#scheduled = true;
    // After the I/O already waiting in this turn of the loop, so its writes join in.
    setImmediate(() => {
      this.#scheduled = false;
      this.#flush();
      this.#schedule();
    });
  }

  async #flush(): Promise<void> {
    const batch = this.#queue.splice(0, this.#maxBatch);
    if (!batch.length) return;
    this.#flushing++;
    this.#beforeAppends++;
    let appending = false;
    let carried: Notifications | undefined;
    try {
      let deliveries = 0;
      const results = await this.#db.transaction().execute(async (trx) => {
        const appends = new BatchAppends();
        const values: unknown[] = [];
        for (const item of batch) values.push(await item.work(trx, appends));
        // Taken at the last moment, so it carries every signal published until now.
        this.#beforeAppends--;
        appending = true;
        carried = appends.notifications = this.rider?.take();
        await appends.write(trx);
        deliveries = appends.deliveries;
        return values;
      });
      this.rider?.settled(carried, true);
      if (deliveries) this.onDeliveries();
      batch.forEach((item, i) => item.resolve(results[i]));
      this.stats.batches++;
      this.stats.writes += batch.length;
    } catch {
      if (!appending) this.#beforeAppends--;
      this.rider?.settled(carried, false);
      // Something in the batch failed and it was all rolled back: redo each on its own.
      for (const item of batch) {
        try {
          let deliveries = 0;
          item.resolve(
            await this.#db.transaction().execute(async (trx) => {
              const appends = new BatchAppends();
              const value = await item.work(trx, appends);
              await appends.write(trx);
              deliveries = appends.deliveries;
              return value;
            }),
          );
          if (deliveries) this.onDeliveries();
        } catch (error) {
          item.reject(error);
        }
      }
    } finally {
      this.#flushing--;
      this.#schedule();
    }
  }
}
