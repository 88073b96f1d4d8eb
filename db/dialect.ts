/**
 * What differs between SQLite and Postgres, behind one interface: each database's object
 * (dialect_sqlite.ts, dialect_postgres.ts) does these few things its own way, and repositories
 * ask `sqlDialect(db)` instead of branching on the database.
 */
import { type Kysely, PostgresAdapter } from "kysely";
import type { Database } from "./schema.ts";
import type { Task, TaskStep } from "./types.ts";
import type { NewEvent } from "./repositories/events.ts";
import type { NewMessage } from "./repositories/sessions.ts";
import type { Notifications } from "./notify.ts";
import { sqliteDialect } from "./dialect_sqlite.ts";
import { postgresDialect } from "./dialect_postgres.ts";

export type DialectName = "sqlite" | "postgres";

export interface SqlDialect {
  readonly name: DialectName;
  /**
   * Stores a new task and its steps (and, with `ensureSession`, its session if it does not
   * exist yet), filling in their ids.
   */
  insertTask(
    db: Kysely<Database>,
    task: Task,
    steps: TaskStep[],
    ensureSession: boolean,
  ): Promise<void>;
  /**
   * Appends a write batch's events and messages, marks the messages' sessions active, and
   * writes the outbox's webhook deliveries: one for each event a webhook of its task asked
   * for, with the event or not at all. Returns how many deliveries were written. Postgres
   * sends `notifications` in the same statement, delivered at the transaction's commit.
   */
  insertAppends(
    db: Kysely<Database>,
    events: readonly NewEvent[],
    messages: readonly NewMessage[],
    notifications?: Notifications,
  ): Promise<number>;
  /** Sends `payloads[i]` on `channels[i]`; nothing where no other process can listen. */
  notifyMany(db: Kysely<Database>, channels: string[], payloads: string[]): Promise<void>;
  /** The schema Kysely's migration tables belong in, when the database has several. */
  migrationSchema(db: Kysely<Database>): Promise<string | undefined>;
}

/** The dialect of the database `db` (a Kysely instance or a transaction) talks to. */
// deno-lint-ignore no-explicit-any
export function sqlDialect(db: Kysely<any>): SqlDialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? postgresDialect : sqliteDialect;
}

// deno-lint-ignore no-explicit-any
export function isPostgres(db: Kysely<any>): boolean {
  return sqlDialect(db).name === "postgres";
}

// deno-lint-ignore no-explicit-any
export function dialectOf(db: Kysely<any>): DialectName {
  return sqlDialect(db).name;
}
