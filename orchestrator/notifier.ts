/**
 * Wake-ups between the parts of the orchestrator, and between orchestrator processes on one
 * Postgres (LISTEN/NOTIFY). Signals carry no data that matters: the database is the truth,
 * and a listener that hears a signal reads what changed from it. A duplicate signal is harmless.
 */
import type { Kysely } from "kysely";
import { type Database, postgresClientOf } from "@app/db";
import type { Logger } from "@app/lib";

/** task_queue: new work; task_events: a task's log grew (payload task id); task_cancel: id. */
export type Channel = "task_queue" | "task_events" | "task_cancel";

export interface Notifier {
  /** True when signals reach other processes too (Postgres); SQLite's stay in this one. */
  readonly crossProcess: boolean;
  publish(channel: Channel, payload?: string): void;
  subscribe(channel: Channel, listener: (payload: string) => void): () => void;
  close(): Promise<void>;
}

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

  close(): Promise<void> {
    this.#listeners.clear();
    return Promise.resolve();
  }
}

/**
 * Local delivery at once, plus NOTIFY for the other processes. Our own NOTIFYs come back to
 * us too; they are dropped by a process tag so each signal is seen once per process.
 */
class PostgresNotifier extends LocalNotifier {
  override readonly crossProcess = true;
  readonly #tag = crypto.randomUUID().slice(0, 8);
  readonly #unlisten: Promise<{ unlisten(): Promise<void> }>[] = [];
  readonly #sql: NonNullable<ReturnType<typeof postgresClientOf>>;
  readonly #logger: Logger;

  readonly #prefix: string;

  constructor(
    sql: NonNullable<ReturnType<typeof postgresClientOf>>,
    logger: Logger,
    namespace: string,
  ) {
    super();
    this.#sql = sql;
    this.#logger = logger;
    // Channels are database-wide; the schema keeps deployments in other schemas apart.
    this.#prefix = `orch_${namespace}_`;
    for (const channel of ["task_queue", "task_events", "task_cancel"] as Channel[]) {
      this.#unlisten.push(
        sql.listen(this.#prefix + channel, (raw) => {
          const [tag, payload = ""] = raw.split("|", 2);
          if (tag !== this.#tag) super.publish(channel, payload);
        }),
      );
    }
  }

  override publish(channel: Channel, payload = ""): void {
    super.publish(channel, payload);
    this.#sql.notify(this.#prefix + channel, `${this.#tag}|${payload}`).catch((error) =>
      this.#logger.warn("notify failed", { channel, error: String(error) })
    );
  }

  override async close(): Promise<void> {
    await super.close();
    for (const pending of this.#unlisten) {
      try {
        await (await pending).unlisten();
      } catch {
        // the connection may already be gone
      }
    }
  }
}

export async function createNotifier(db: Kysely<Database>, logger: Logger): Promise<Notifier> {
  const client = postgresClientOf(db);
  if (!client) return new LocalNotifier();
  const [{ schema }] = await client`select current_schema() as schema`;
  return new PostgresNotifier(client, logger, String(schema));
}
