/**
 * A task's row with what its view needs beside its steps, in one statement: its context
 * (budget, trace; a task stored without one has none) and whether it has any LLM usage, so the
 * usage rows are read only when there are some (most tasks have none).
 */
import { type Kysely, type Selectable, sql, type Transaction } from "kysely";
import { sqlStates } from "@app/lib/task_transitions";
import type { Database, TasksTable } from "../schema.ts";
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

type HeadRow = Selectable<TasksTable> & {
  context_budget: string | null;
  context_traceparent: string | null;
  has_usage: boolean | number;
};

const HAS_USAGE = `exists (select 1 from "llm_usage" where "llm_usage"."task_id" = "tasks"."id")`;

function headOf(row: HeadRow): TaskHead {
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
    .select([
      "task_context.budget as context_budget",
      "task_context.traceparent as context_traceparent",
      sql<boolean | number>`${sql.raw(HAS_USAGE)}`.as("has_usage"),
    ])
    .where("tasks.id", "=", id);
  if (owner !== undefined) query = query.where("tasks.user_id", "=", owner);
  const row = await query.executeTakeFirst();
  return row && headOf(row);
}

/**
 * Reads the task's status and, only when it is one of `headWhen`, its head, in one statement
 * (declared once per list): a waiter reads this on each signal, and the head it answers with
 * once the task has ended (or waits on a person) comes with the read that saw it, not after.
 * None when the task is gone.
 */
export function taskStatusReader(headWhen: readonly TaskStatus[]) {
  const read = statement<{ id: number }, HeadRow & { current_status: TaskStatus }>(
    `select "current"."status" as "current_status", "tasks".*, ` +
      `"task_context"."budget" as "context_budget", ` +
      `"task_context"."traceparent" as "context_traceparent", ${HAS_USAGE} as "has_usage" ` +
      `from "tasks" as "current" left join "tasks" on "tasks"."id" = "current"."id" ` +
      `and "tasks"."status" in (${sqlStates(headWhen)}) ` +
      `left join "task_context" on "task_context"."task_id" = "tasks"."id" ` +
      `where "current"."id" = :id`,
  );
  return async (
    db: Db,
    id: number,
  ): Promise<{ status: TaskStatus; head?: TaskHead } | undefined> => {
    const [row] = await read.query(db, { id });
    if (!row) return undefined;
    const { current_status, ...head } = row;
    // Left-joined: the task's columns are null unless its status is one of `headWhen`.
    return { status: current_status, head: head.id === null ? undefined : headOf(head) };
  };
}
