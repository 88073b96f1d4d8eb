/**
 * A task's row with what its view needs beside its steps, in one statement: its context
 * (budget, trace; a task stored without one has none) and whether it has any LLM usage, so the
 * usage rows are read only when there are some (most tasks have none). A hot statement: a
 * blocking submit reads it at each of its task's signals, and every task view reads it.
 */
import type { Kysely, Selectable, Transaction } from "kysely";
import type { Database, TasksTable } from "../schema.ts";
import type { JsonObject, Task } from "../types.ts";
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
  /** Postgres answers a boolean, SQLite 0 or 1. */
  has_usage: boolean | number;
};

// Columns named, never `*` (see events.ts).
const SELECT_HEAD = `select "t"."id", "t"."session_id", "t"."user_id", "t"."description", ` +
  `"t"."status", "t"."plan", "t"."result", "t"."metadata", "t"."error", "t"."lease_owner", ` +
  `"t"."lease_expires_at", "t"."attempts", "t"."created_at", "t"."updated_at", ` +
  `"t"."completed_at", "c"."budget" as "context_budget", "c"."traceparent" as ` +
  `"context_traceparent", exists (select 1 from "llm_usage" as "u" where "u"."task_id" = ` +
  `"t"."id") as "has_usage" from "tasks" as "t" left join "task_context" as "c" on ` +
  `"c"."task_id" = "t"."id" where "t"."id" = :id`;
const head = statement<{ id: number }, HeadRow>(SELECT_HEAD);
const ownedHead = statement<{ id: number; owner: string }, HeadRow>(
  `${SELECT_HEAD} and "t"."user_id" = :owner`,
);

export async function getTaskHead(
  db: Db,
  id: number,
  /** Only if this user owns it. */
  owner?: string,
): Promise<TaskHead | undefined> {
  const [row] = owner === undefined
    ? await head.query(db, { id })
    : await ownedHead.query(db, { id, owner });
  if (!row) return undefined;
  const { context_budget, context_traceparent, has_usage, ...task } = row;
  return {
    task: taskRows.decode(task),
    context: {
      budget: context_budget ? JSON.parse(context_budget) as JsonObject : null,
      traceparent: context_traceparent ?? null,
    },
    hasUsage: Boolean(has_usage),
  };
}
