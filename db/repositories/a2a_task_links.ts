/** Which orchestrator task an A2A task on the orchestrator's own endpoint is. */
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../schema.ts";

type Db = Kysely<Database> | Transaction<Database>;

export async function linkA2aTask(db: Db, a2aTaskId: string, taskId: number): Promise<void> {
  await db.insertInto("a2a_task_links").values({ a2a_task_id: a2aTaskId, task_id: taskId })
    .execute();
}

export async function taskIdOfA2aTask(db: Db, a2aTaskId: string): Promise<number | undefined> {
  const row = await db.selectFrom("a2a_task_links").select("task_id")
    .where("a2a_task_id", "=", a2aTaskId).executeTakeFirst();
  return row?.task_id;
}
