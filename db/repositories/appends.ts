/** The end of a write batch: its events and messages, and the sessions they make active. */
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../schema.ts";
import { toJson } from "../codec.ts";
import { isPostgres } from "../dialect.ts";
import { rawExecute, SQL } from "../raw.ts";
import { insertEvents, type NewEvent } from "./events.ts";
import { insertMessages, type NewMessage } from "./sessions.ts";

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Inserts a batch's events and messages. On Postgres that is one statement, whatever the
 * batch's size; SQLite, in-process, runs its prepared single-row statements.
 */
export async function insertAppends(
  db: Db,
  events: readonly NewEvent[],
  messages: readonly NewMessage[],
): Promise<void> {
  if (!events.length && !messages.length) return;
  if (!isPostgres(db)) {
    await insertMessages(db, messages);
    await insertEvents(db, events);
    return;
  }
  await rawExecute(db, SQL.appendArrays, [
    events.map((e) => e.task_id),
    events.map((e) => e.type),
    events.map((e) => toJson(e.data)),
    events.map((e) => e.created_at),
    messages.map((m) => m.session_id),
    messages.map((m) => m.role),
    messages.map((m) => m.content),
    messages.map((m) => m.task_id ?? null),
    messages.map((m) => toJson(m.metadata ?? {})),
    messages.map((m) => m.created_at),
    messages.at(-1)?.created_at ?? events.at(-1)!.created_at,
    [...new Set(messages.map((m) => m.session_id))],
  ]);
}
