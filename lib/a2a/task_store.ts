/**
 * A2A tasks live in the project's database, in the SDK's `DatabaseTaskStore` schema on a table
 * the project's migrations create (`a2a_tasks` for the built-in agent), so a restarted server
 * still answers `GetTask` for the tasks it ran. Its loads and saves are batched (see
 * BatchedTaskStore): the SDK makes one of each per event of every running task.
 */
import { A2A_TASK_TABLE, type Database } from "@app/db";
import type { Kysely } from "kysely";
import { BatchedTaskStore } from "./batched_task_store.ts";

export function createTaskStore(
  db: Kysely<Database>,
  tableName: string = A2A_TASK_TABLE,
): BatchedTaskStore {
  return new BatchedTaskStore(db, tableName);
}
