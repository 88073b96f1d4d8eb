/**
 * A task's row with what its view needs beside its steps, in one statement: its context
 * (budget, trace; a task stored without one has none) and whether it has any LLM usage, so the
 * usage rows are read only when there are some (most tasks have none).
 */
import { type Kysely, type Selectable, sql, type Transaction } from "kysely";
import type { Database, TasksTable } from "../schema.ts";
import type { JsonObject, Task, TaskStatus } from "../types.ts";
import { taskRows } from "../rows.ts";
import type { TaskContext } from "./usage.ts";

type Db = Kysely<Database> | Transaction<Database>;

export interface TaskHead {
  task: Task;
  context: TaskContext;
  hasUsage: boolean;
}

/** Beside the task's columns: its context and whether it has usage (joined as in the head). */
const headExtras = [
  sql<string | null>`"task_context"."budget"`.as("context_budget"),
  sql<string | null>`"task_context"."traceparent"`.as("context_traceparent"),
  sql<
    boolean | number
  >`exists (select 1 from "llm_usage" where "llm_usage"."task_id" = "tasks"."id")`
    .as("has_usage"),
];

function headOf(
  row: Selectable<TasksTable> & {
    context_budget: string | null;
    context_traceparent: string | null;
    has_usage: boolean | number;
  },
): TaskHead {
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

export async function getTaskHead(
  db: Db,
  id: number,
  /** Only if this user owns it. */
  owner?: string,
): Promise<TaskHead | undefined> {
  let query = db.selectFrom("tasks")
    .leftJoin("task_context", "task_context.task_id", "tasks.id")
    .selectAll("tasks")
    .select(headExtras)
    .where("tasks.id", "=", id);
  if (owner !== undefined) query = query.where("tasks.user_id", "=", owner);
  const row = await query.executeTakeFirst();
  return row && headOf(row);
}

/**
 * The task's status and, only when it is one of `headWhen`, its head, in one statement: a
 * waiter reads this on each signal, and the head it answers with once the task has ended
 * (or waits on a person) comes with the read that saw it, not after. None when it is gone.
 */
export async function getTaskStatusWithHead(
  db: Db,
  id: number,
  headWhen: readonly TaskStatus[],
): Promise<{ status: TaskStatus; head?: TaskHead } | undefined> {
  const row = await db.selectFrom("tasks as current")
    .leftJoin(
      "tasks",
      (join) => join.onRef("tasks.id", "=", "current.id").on("tasks.status", "in", headWhen),
    )
    .leftJoin("task_context", "task_context.task_id", "tasks.id")
    .select("current.status as current_status")
    .selectAll("tasks")
    .select(headExtras)
    .where("current.id", "=", id)
    .executeTakeFirst();
  if (!row) return undefined;
  const { current_status, ...head } = row;
  // Left-joined: the task's columns are null unless its status is one of `headWhen`.
  const headed = head.id !== null;
  return {
    status: current_status,
    head: headed ? headOf(head as Selectable<TasksTable> & typeof head) : undefined,
  };
}
