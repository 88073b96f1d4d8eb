/**
 * LLM usage in the database: rows written in the transaction that records the step (or the
 * task, for its planning), and totals summed by SQL per task, session and agent, so a total is
 * exactly the sum of what the LLM servers reported. Also a task's context (budget, trace).
 */
import { type Kysely, type Selectable, sql, type Transaction } from "kysely";
import type { Database, LlmUsageTable } from "../schema.ts";
import type { JsonObject } from "../types.ts";
import { isoNow, toJson } from "../codec.ts";

type Db = Kysely<Database> | Transaction<Database>;

/** One model's tokens for one step (or the task's planning: `step_number` null), priced. */
export type UsageRow = Omit<
  Selectable<LlmUsageTable>,
  "id" | "task_id" | "session_id" | "created_at"
>;

/** Sums as the API gives them. `cost_usd` is null when none of the usage had a price. */
export interface UsageTotals {
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  cost_usd: number | null;
}

export const NO_USAGE: UsageTotals = {
  input_tokens: 0,
  output_tokens: 0,
  total_tokens: 0,
  cost_usd: null,
};

/** Writes a task's usage rows in the caller's transaction. */
export async function insertUsage(
  db: Db,
  task: { id: number; session_id: string },
  rows: readonly UsageRow[],
): Promise<void> {
  if (!rows.length) return;
  const created_at = isoNow();
  await db.insertInto("llm_usage").values(rows.map((r) => ({
    ...r,
    task_id: task.id,
    session_id: task.session_id,
    created_at,
  }))).execute();
}

/** Every usage row of a task, planning first, then by step. */
export async function getTaskUsage(db: Db, taskId: number): Promise<UsageRow[]> {
  const rows = await db.selectFrom("llm_usage")
    .select([
      "step_number",
      "agent_id",
      "agent_name",
      "model",
      "input_tokens",
      "output_tokens",
      "cost_usd",
    ])
    .where("task_id", "=", taskId).orderBy("id").execute();
  return rows.map((r) => ({ ...r, cost_usd: r.cost_usd === null ? null : Number(r.cost_usd) }));
}

// Postgres sums integers as bigint (a string to `pg`): numbers here.
const sums = [
  sql<string | number | null>`sum("input_tokens")`.as("input_tokens"),
  sql<string | number | null>`sum("output_tokens")`.as("output_tokens"),
  sql<string | number | null>`sum("cost_usd")`.as("cost_usd"),
] as const;

function totalsOf(
  row: { input_tokens: unknown; output_tokens: unknown; cost_usd: unknown } | undefined,
): UsageTotals {
  const input = Number(row?.input_tokens ?? 0);
  const output = Number(row?.output_tokens ?? 0);
  const cost = row?.cost_usd;
  return {
    input_tokens: input,
    output_tokens: output,
    total_tokens: input + output,
    cost_usd: cost === null || cost === undefined ? null : Number(cost),
  };
}

/** A task's total: its steps and its planning. */
export async function taskUsageTotals(db: Db, taskId: number): Promise<UsageTotals> {
  const row = await db.selectFrom("llm_usage").select(sums)
    .where("task_id", "=", taskId).executeTakeFirst();
  return totalsOf(row);
}

/** A session's total over all its tasks. */
export async function sessionUsageTotals(db: Db, sessionId: string): Promise<UsageTotals> {
  const row = await db.selectFrom("llm_usage").select(sums)
    .where("session_id", "=", sessionId).executeTakeFirst();
  return totalsOf(row);
}

/** Totals per agent that ran steps (planning, done by no agent, is not among them). */
export async function agentUsageTotals(
  db: Db,
): Promise<(UsageTotals & { agent_id: number; agent_name: string | null })[]> {
  const rows = await db.selectFrom("llm_usage")
    .select([
      "agent_id",
      sql<string | null>`max("agent_name")`.as("agent_name"),
      ...sums,
    ])
    .where("agent_id", "is not", null)
    .groupBy("agent_id").orderBy("agent_id").execute();
  return rows.map((r) => ({
    agent_id: Number(r.agent_id),
    agent_name: r.agent_name,
    ...totalsOf(r),
  }));
}

/** A task's budget and the submitting request's trace context. */
export interface TaskContext {
  budget: { max_tokens?: number; max_cost_usd?: number } | null;
  traceparent: string | null;
}

/** Stores a task's context, when it has one (in the transaction that stores the task). */
export async function insertTaskContext(
  db: Db,
  taskId: number,
  context: TaskContext,
): Promise<void> {
  if (!context.budget && !context.traceparent) return;
  await db.insertInto("task_context").values({
    task_id: taskId,
    budget: context.budget ? toJson(context.budget) : null,
    traceparent: context.traceparent,
  }).execute();
}

/** A task's context; a task stored without one has none. */
export async function getTaskContext(db: Db, taskId: number): Promise<TaskContext> {
  const row = await db.selectFrom("task_context").select(["budget", "traceparent"])
    .where("task_id", "=", taskId).executeTakeFirst();
  return {
    budget: row?.budget ? JSON.parse(row.budget) as JsonObject : null,
    traceparent: row?.traceparent ?? null,
  };
}
