/**
 * A task's row with what its view needs beside its steps, in one statement: its context
 * (budget, trace; a task stored without one has none) and whether it has any LLM usage, so the
 * usage rows are read only when there are some (most tasks have none).
 */
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../schema.ts";
import type { JsonObject, Task, TaskStatus } from "../types.ts";
import { taskRows } from "../rows.ts";
import { statement } from "../statement.ts";
import type { TaskContext } from "./usage.ts";

type Db = Kysely<Database> | Transaction<Database>;

export interface TaskHead {
  task: Task;
  context: TaskContext;
  hasUsage: boolean;
}

export async function getTaskHead(
  db: Db,
  id: number,
  /** Only if this user owns it. */
  owner?: string,
): Promise<TaskHead | undefined> {
  let query = db.selectFrom("tasks")
    .leftJoin("task_context", "task_context.task_id", "tasks.id")
    .selectAll("tasks")
    .select((eb) => [
      "task_context.budget as context_budget",
      "task_context.traceparent as context_traceparent",
      eb.exists(
        eb.selectFrom("llm_usage").select("llm_usage.id")
          .whereRef("llm_usage.task_id", "=", "tasks.id"),
      ).as("has_usage"),
    ])
    .where("tasks.id", "=", id);
  if (owner !== undefined) query = query.where("tasks.user_id", "=", owner);
  const row = await query.executeTakeFirst();
  if (!row) return undefined;
  const { context_budget, context_traceparent, has_usage, ...task } = row;
  return {
    task: taskRows.decode(task),
    context: {
      budget: context_budget ? JSON.parse(context_budget) as JsonObject : null,
      traceparent: context_traceparent ?? null,
    },
    // Postgres answers a boolean, SQLite 0 or 1.
    hasUsage: Boolean(has_usage),
  };
}

const taskStatus = statement<{ id: number }, { status: TaskStatus }>(
  `select "status" from "tasks" where "id" = :id`,
);

/** Only the task's status: what a waiter reads on each signal, until the task has ended. */
export async function getTaskStatus(db: Db, id: number): Promise<TaskStatus | undefined> {
  const [row] = await taskStatus.query(db, { id });
  return row?.status;
}
