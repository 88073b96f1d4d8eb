/**
 * Wake-ups between the parts of the orchestrator, and between orchestrator processes on one
 * Postgres (LISTEN/NOTIFY). Signals carry no data that matters: the database is the truth,
 * and a listener that hears a signal reads what changed from it. A duplicate signal is harmless.
 */
import { setImmediate } from "node:timers";
import { type Kysely, sql } from "kysely";
import {
  type CommitRider,
  createPgClient,
  type Database,
  type Notifications,
  notifyMany,
  type PgClient,
  type PgSettings,
  postgresSettingsOf,
  type WriteBatcher,
} from "@app/db";
import type { Logger } from "@app/lib";

/**
 * task_queue: new work; task_events: a task's log grew (payload task id); task_status: its
 * status may have changed too (id; sent with task_events), for those who wait for a task to
 * end or to wait on a person, and need not look at each of its steps; task_cancel: id.
 * Payloads hold no "," or "|": the Postgres notifier packs many into one notification.
 */
export type Channel = "task_queue" | "task_events" | "task_status" | "task_cancel";

export interface Notifier {
  /** True when signals reach other processes too (Postgres); SQLite's stay in this one. */
  readonly crossProcess: boolean;
  publish(channel: Channel, payload?: string): void;
  subscribe(channel: Channel, listener: (payload: string) => void): () => void;
  /** Listeners subscribed now (to one channel, or all): lets tests see that none leak. */
  listenerCount(channel?: Channel): number;
  close(): Promise<void>;
}

const CHANNELS: Channel[] = ["task_queue", "task_events", "task_status", "task_cancel"];

class LocalNotifier implements Notifier {
  readonly crossProcess: boolean = false;
  readonly #listeners = new Map<Channel, Set<(payload: string) => void>>();

  publish(channel: Channel, payload = ""): void {
    for (const listener of this.#listeners.get(channel) ?? []) {
      try {
        listener(payload);
      } catch {
        // a listener's failure is its own business
      }
    }
  }

  subscribe(channel: Channel, listener: (payload: string) => void): () => void {
    let set = this.#listeners.get(channel);
    if (!set) this.#listeners.set(channel, set = new Set());
    set.add(listener);
    return () => set.delete(listener);
  }

  listenerCount(channel?: Channel): number {
    if (channel) return this.#listeners.get(channel)?.size ?? 0;
    let count = 0;
    for (const set of this.#listeners.values()) count += set.size;
    return count;
  }

  close(): Promise<void> {
    this.#listeners.clear();
    return Promise.resolve();
  }
}

/**
 * Local delivery at once, plus NOTIFY for the other processes. Our own NOTIFYs come back to
 * us too; they are dropped by a process tag so each signal is seen once per process. The
 * LISTEN connection is re-opened when it drops; after a gap everyone is woken ("*"), since
 * signals sent meanwhile were lost.
 *
 * Signals of one turn of the event loop leave together: one statement, and one notification
 * per channel ("tag|12,13,14"), instead of a round trip and a delivery per signal. When a
 * write batch is on its way, they ride in its transaction instead (WriteBatcher's rider):
 * Postgres delivers a NOTIFY at commit, and a NOTIFY of its own costs a statement and a
 * commit. Either way they are sent after the writes they tell of were committed.
 */
class PostgresNotifier extends LocalNotifier {
  override readonly crossProcess = true;
  readonly #tag = crypto.randomUUID().slice(0, 8);
  readonly #db: Kysely<Database>;
  readonly #settings: PgSettings;
  readonly #logger: Logger;
  readonly #prefix: string;
  #listener: PgClient | undefined;
  #closed = false;
  #retry: ReturnType<typeof setTimeout> | undefined;
  /** Signals for the next NOTIFY, by channel (a set: a repeated signal says nothing more). */
  readonly #outbox = new Map<Channel, Set<string>>();
  #flushScheduled = false;
  readonly #writes: WriteBatcher | undefined;

  constructor(
    db: Kysely<Database>,
    settings: PgSettings,
    logger: Logger,
    namespace: string,
    writes: WriteBatcher | undefined,
  ) {
    super();
    this.#db = db;
    this.#settings = settings;
    this.#logger = logger;
    // Channels are database-wide; the schema keeps deployments in other schemas apart.
    this.#prefix = `orch_${namespace}_`;
    this.#writes = writes;
    if (writes) writes.rider = this.#rider;
  }

  readonly #rider: CommitRider = {
    take: () => this.#take(),
    settled: (carried, committed) => {
      // Rolled back: what it carried was never sent (a duplicate would be harmless).
      if (carried && !committed && !this.#closed) this.#send(carried);
      // What was left for a batch that has now ended is looked at again.
      if (this.#outbox.size) this.#scheduleFlush();
    },
  };

  async listen(): Promise<void> {
    const client = createPgClient(this.#settings);
    const reopen = () => {
      if (this.#closed || this.#listener !== client) return;
      this.#listener = undefined;
      client.end().catch(() => {});
      this.#logger.warn("LISTEN connection lost; reconnecting");
      this.#retry = setTimeout(() => this.listen().catch(() => reopen()), 1_000);
    };
    client.on("error", reopen);
    client.on("end", reopen);
    client.on("notification", (message) => {
      const channel = message.channel.slice(this.#prefix.length) as Channel;
      const [tag, payloads = ""] = (message.payload ?? "").split("|", 2);
      if (tag === this.#tag) return;
      for (const payload of payloads.split(",")) super.publish(channel, payload);
    });
    try {
      await client.connect();
      for (const channel of CHANNELS) {
        await client.query(`listen "${this.#prefix}${channel}"`);
      }
    } catch (error) {
      client.end().catch(() => {});
      if (this.#closed) return;
      this.#retry = setTimeout(() => this.listen().catch(() => {}), 1_000);
      throw error;
    }
    this.#listener = client;
    // Anything signalled while we were not listening is caught up by looking again.
    super.publish("task_queue", "");
    super.publish("task_events", "*");
    super.publish("task_status", "*");
  }

  override publish(channel: Channel, payload = ""): void {
    super.publish(channel, payload);
    let pending = this.#outbox.get(channel);
    if (!pending) this.#outbox.set(channel, pending = new Set());
    pending.add(payload);
    this.#scheduleFlush();
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => this.#flush());
  }

  #flush(): void {
    this.#flushScheduled = false;
    // A batch that has yet to send its appends takes them along (or, failing, hands them back).
    if (this.#writes?.appendsAhead && !this.#closed) return;
    const notifications = this.#take();
    if (notifications) this.#send(notifications);
  }

  /** The outbox as NOTIFYs, emptied; none once closed. */
  #take(): Notifications | undefined {
    if (this.#closed) this.#outbox.clear();
    if (!this.#outbox.size) return undefined;
    const channels: string[] = [];
    const payloads: string[] = [];
    const send = (channel: Channel, batch: string[]) => {
      channels.push(this.#prefix + channel);
      payloads.push(`${this.#tag}|${batch.join(",")}`);
    };
    for (const [channel, pending] of this.#outbox) {
      // A notification's payload must stay under 8,000 bytes.
      let batch: string[] = [];
      let size = 0;
      for (const payload of pending) {
        if (batch.length && size + payload.length > 7_000) {
          send(channel, batch);
          batch = [];
          size = 0;
        }
        batch.push(payload);
        size += payload.length + 1;
      }
      if (batch.length) send(channel, batch);
    }
    this.#outbox.clear();
    return { channels, payloads };
  }

  #send({ channels, payloads }: Notifications): void {
    notifyMany(this.#db, channels, payloads).catch((error) =>
      this.#logger.warn("notify failed", { channels, error: String(error) })
    );
  }

  override async close(): Promise<void> {
    this.#closed = true;
    if (this.#writes && this.#writes.rider === this.#rider) this.#writes.rider = undefined;
    clearTimeout(this.#retry);
    await super.close();
    await this.#listener?.end().catch(() => {});
  }
}

/**
 * The notifier for `db`'s database. Given the process's write batcher, its NOTIFYs ride in the
 * batches' transactions when one is on its way.
 */
export async function createNotifier(
  db: Kysely<Database>,
  logger: Logger,
  writes?: WriteBatcher,
): Promise<Notifier> {
  const settings = postgresSettingsOf(db);
  if (!settings) return new LocalNotifier();
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const notifier = new PostgresNotifier(db, settings, logger, rows[0].schema, writes);
  await notifier.listen();
  return notifier;
}
