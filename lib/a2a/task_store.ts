/**
 * A2A tasks live in the project's database, through the SDK's own `DatabaseTaskStore` on a
 * table the project's migrations create in the SDK's schema (`a2a_tasks` for the built-in
 * agent), so a restarted server still answers `GetTask` for the tasks it ran.
 */
import { DatabaseTaskStore } from "@a2a-js/sdk/server/database";
import { A2A_TASK_TABLE, type Database } from "@app/db";
import type { Kysely } from "kysely";

export function createTaskStore(
  db: Kysely<Database>,
  tableName: string = A2A_TASK_TABLE,
): DatabaseTaskStore<Database> {
  return new DatabaseTaskStore(db, { tableName });
}
