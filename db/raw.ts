/**
 * The last positional `?` statements, those of task_progress.ts, until they move to the named
 * statements of statement.ts. The text is rewritten once to `$1, $2...` for Postgres.
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

export const SQL = {
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
