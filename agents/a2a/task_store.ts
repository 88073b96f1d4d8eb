/**
 * The agent's A2A tasks live in the project's database, through the SDK's own
 * `DatabaseTaskStore` on the `a2a_tasks` table (created by the project's migrations), so a
 * restarted agent still answers `GetTask` for the tasks it ran.
 */
import { DatabaseTaskStore } from "@a2a-js/sdk/server/database";
import { A2A_TASK_TABLE, type Database } from "@app/db";
import type { Kysely } from "kysely";

export function createTaskStore(db: Kysely<Database>): DatabaseTaskStore<Database> {
  return new DatabaseTaskStore(db, { tableName: A2A_TASK_TABLE });
}
