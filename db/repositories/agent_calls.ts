/**
 * How each agent's steps went, for the agents page: the finished steps run on it (newest
 * first, a bounded window), with their outcome, start, end and error. The numbers are made
 * from these rows by the caller (orchestrator/agent_usage.ts).
 */
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../schema.ts";

type Db = Kysely<Database> | Transaction<Database>;

export interface StepOutcome {
  agent_id: number;
  status: "completed" | "failed";
  started_at: string | null;
  completed_at: string | null;
  error: string | null;
}

export async function recentStepOutcomes(
  db: Db,
  options: { owner?: string; limit?: number } = {},
): Promise<StepOutcome[]> {
  let query = db.selectFrom("task_steps")
    .innerJoin("tasks", "tasks.id", "task_steps.task_id")
    .select([
      "task_steps.agent_id",
      "task_steps.status",
      "task_steps.started_at",
      "task_steps.completed_at",
      "task_steps.error",
    ])
    .where("task_steps.agent_id", "is not", null)
    .where("task_steps.status", "in", ["completed", "failed"])
    .orderBy("task_steps.id", "desc")
    .limit(options.limit ?? 5_000);
  if (options.owner !== undefined) query = query.where("tasks.user_id", "=", options.owner);
  const rows = await query.execute();
  const iso = (value: unknown) =>
    value === null || value === undefined
      ? null
      : value instanceof Date
      ? value.toISOString()
      : String(value);
  return rows.map((row) => ({
    agent_id: Number(row.agent_id),
    status: row.status as StepOutcome["status"],
    started_at: iso(row.started_at),
    completed_at: iso(row.completed_at),
    error: row.error ?? null,
  }));
}
