/**
 * Hand-written SQL for the few statements every task runs many times. Building a query with
 * Kysely costs about 40 µs, more than SQLite takes to run it (measured: 66 µs per event insert
 * built, 26 µs run from fixed text), so the hottest shapes are written once as text here.
 * The text uses `?` placeholders, rewritten once to `$1, $2...` for Postgres.
 */
import { CompiledQuery, type Kysely, type Transaction } from "kysely";
import type { Database } from "./schema.ts";
import { isPostgres } from "./dialect.ts";
import { registerPrepared } from "./prepared.ts";

type Db = Kysely<Database> | Transaction<Database>;

const forPostgres = new Map<string, string>();

function postgresText(text: string): string {
  let converted = forPostgres.get(text);
  if (!converted) {
    let n = 0;
    converted = text.replace(/\?/g, () => `$${++n}`);
    forPostgres.set(text, converted);
    registerPrepared(converted);
  }
  return converted;
}

export async function rawQuery<Row>(db: Db, text: string, parameters: unknown[]): Promise<Row[]> {
  const query = CompiledQuery.raw(isPostgres(db) ? postgresText(text) : text, parameters);
  return (await db.executeQuery<Row>(query)).rows;
}

/** Runs a statement that returns no rows; resolves to the number of rows it changed. */
export async function rawExecute(db: Db, text: string, parameters: unknown[]): Promise<number> {
  const query = CompiledQuery.raw(isPostgres(db) ? postgresText(text) : text, parameters);
  return Number((await db.executeQuery(query)).numAffectedRows ?? 0n);
}

// Columns named, never `*`: these statements are prepared once per Postgres connection, and a
// prepared `*` fails ("cached plan must not change result type") once a migration adds a
// column under a running orchestrator.
const EVENT_COLUMNS = `"id", "task_id", "type", "data", "created_at"`;
const MESSAGE_COLUMNS =
  `"id", "session_id", "role", "content", "task_id", "metadata", "created_at"`;
const STEP_COLUMNS = `"id", "task_id", "step_number", "description", "capability", "agent_id", ` +
  `"dependencies", "status", "input_data", "output_data", "error", "attempts", "started_at", ` +
  `"completed_at"`;

export const SQL = {
  insertEvent: `insert into "task_events" ("task_id", "type", "data", "created_at") ` +
    `values (?, ?, ?, ?) returning ${EVENT_COLUMNS}`,
  // Batches: SQLite runs one prepared single-row statement per row (no round trips to save);
  // Postgres takes the whole batch in one statement, as arrays.
  insertEventRow: `insert into "task_events" ("task_id", "type", "data", "created_at") ` +
    `values (?, ?, ?, ?)`,
  insertMessageRow: `insert into "messages" ("session_id", "role", "content", "task_id", ` +
    `"metadata", "created_at") values (?, ?, ?, ?, ?, ?)`,
  // A batch's events and messages, and its sessions marked active, in one round trip.
  appendArrays: `with "e" as (insert into "task_events" ("task_id", "type", "data", ` +
    `"created_at") select * from unnest(?::integer[], ?::text[], ?::text[], ` +
    `?::timestamptz[])), "m" as (insert into "messages" ("session_id", "role", "content", ` +
    `"task_id", "metadata", "created_at") select * from unnest(?::text[], ?::text[], ` +
    `?::text[], ?::integer[], ?::text[], ?::timestamptz[])) update "sessions" set ` +
    `"updated_at" = ? where "session_id" = any(?::text[])`,
  insertSession: `insert into "sessions" ("session_id", "user_id", "metadata", "created_at", ` +
    `"updated_at") values (?, ?, ?, ?, ?) returning "id"`,
  ensureSession: `insert into "sessions" ("session_id", "user_id", "metadata", "created_at", ` +
    `"updated_at") values (?, ?, '{}', ?, ?) on conflict ("session_id") do nothing`,
  // Postgres: the session (if new), the task and its steps in one round trip.
  insertTaskPostgres: `with "s" as (insert into "sessions" ("session_id", "user_id", ` +
    `"metadata", "created_at", "updated_at") select ?, ?, '{}', ?::timestamptz, ` +
    `?::timestamptz where ?::boolean on conflict ("session_id") do nothing), "t" as (insert into "tasks" ("session_id", "user_id", "description", "status", ` +
    `"plan", "result", "metadata", "attempts", "lease_owner", "lease_expires_at", ` +
    `"created_at", "updated_at") values (?, ?, ?, ?, ?, '{}', ?, ?, ?, ?, ?, ?) returning ` +
    `"id"), "st" as (insert into "task_steps" ("task_id", "step_number", "description", ` +
    `"capability", "agent_id", "dependencies", "status", "input_data", "output_data", ` +
    `"attempts", "started_at") select "t"."id", "n", "d", "c", "a", "deps", "st", "i", '{}', ` +
    `"at", "sa" from "t", unnest(?::integer[], ?::text[], ?::text[], ?::integer[], ` +
    `?::text[], ?::text[], ?::text[], ?::integer[], ?::timestamptz[]) as ` +
    `"x"("n", "d", "c", "a", "deps", "st", "i", "at", "sa") returning "id", "step_number") ` +
    `select (select "id" from "t") as "id", coalesce((select json_agg(json_build_array(` +
    `"id", "step_number")) from "st"), '[]') as "steps"`,
  insertMessage: `insert into "messages" ("session_id", "role", "content", "task_id", ` +
    `"metadata", "created_at") values (?, ?, ?, ?, ?, ?) returning ${MESSAGE_COLUMNS}`,
  touchSession: `update "sessions" set "updated_at" = ? where "session_id" = ?`,
  notifyMany: `select pg_notify("c", "p") from unnest(?::text[], ?::text[]) as "n"("c", "p")`,
  lastMessages: `select ${MESSAGE_COLUMNS} from "messages" where "session_id" = ? ` +
    `order by "id" desc limit ?`,
  taskSteps: `select ${STEP_COLUMNS} from "task_steps" where "task_id" = ? order by "step_number"`,
  insertTask: `insert into "tasks" ("session_id", "user_id", "description", "status", "plan", ` +
    `"result", "metadata", "attempts", "lease_owner", "lease_expires_at", "created_at", ` +
    `"updated_at") values (?, ?, ?, ?, ?, '{}', ?, ?, ?, ?, ?, ?) returning "id"`,
  insertStepRow: `insert into "task_steps" ("task_id", "step_number", "description", ` +
    `"capability", "agent_id", "dependencies", "status", "input_data", "output_data", ` +
    `"attempts", "started_at") values (?, ?, ?, ?, ?, ?, ?, ?, '{}', ?, ?) returning "id"`,
  // A step changes only while `owner` holds its task's lease, and never once completed.
  startStep: `update "task_steps" set "status" = 'running', "agent_id" = ?, "input_data" = ?, ` +
    `"attempts" = ?, "error" = null, "started_at" = ? where "task_id" = ? and "step_number" = ? ` +
    `and "status" != 'completed' and exists (select 1 from "tasks" where "id" = ? and ` +
    `"lease_owner" = ?)`,
  completeStep: `update "task_steps" set "status" = 'completed', "agent_id" = ?, ` +
    `"output_data" = ?, "error" = null, "completed_at" = ? where "task_id" = ? and ` +
    `"step_number" = ? and "status" != 'completed' and exists (select 1 from "tasks" where ` +
    `"id" = ? and "lease_owner" = ?)`,
  // Postgres: the last step's output and the task's completion in one round trip.
  completeStepAndTask: `with "s" as (update "task_steps" set "status" = 'completed', ` +
    `"agent_id" = ?, "output_data" = ?, "error" = null, "completed_at" = ? where ` +
    `"task_id" = ? and "step_number" = ? and "status" != 'completed' and exists (select 1 ` +
    `from "tasks" where "id" = ? and "lease_owner" = ?) returning 1), "t" as (update "tasks" ` +
    `set "status" = 'completed', "result" = ?, "error" = null, "completed_at" = ?, ` +
    `"lease_owner" = null, "lease_expires_at" = null, "updated_at" = ? where "id" = ? and ` +
    `"lease_owner" = ? and "status" != 'cancelled' and exists (select 1 from "s") returning 1) ` +
    `select (select count(*) from "s") as "step", (select count(*) from "t") as "task"`,
  completeTask: `update "tasks" set "status" = 'completed', "result" = ?, "error" = null, ` +
    `"completed_at" = ?, "lease_owner" = null, "lease_expires_at" = null, "updated_at" = ? ` +
    `where "id" = ? and "lease_owner" = ? and "status" != 'cancelled'`,
} as const;
