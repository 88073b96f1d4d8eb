/**
 * The executor's hot transitions, as fixed SQL that changes a row only under the caller's
 * lease and reads nothing back: every task runs these, so each costs one statement.
 */
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../schema.ts";
import type { JsonObject } from "../types.ts";
import { isoNow, toJson } from "../codec.ts";
import { isPostgres } from "../dialect.ts";
import { rawExecute, rawQuery, SQL } from "../raw.ts";

type Db = Kysely<Database> | Transaction<Database>;

/** The parameters of the guard every step statement ends with: this step, under this lease. */
const stepUnderLease = (taskId: number, stepNumber: number, owner: string) => [
  taskId,
  stepNumber,
  taskId,
  owner,
];

/** Marks a step running; false when `owner` no longer holds the lease or it already completed. */
export async function startStep(
  db: Db,
  taskId: number,
  stepNumber: number,
  owner: string,
  start: { agent_id: number | null; input_data: JsonObject; attempts: number },
): Promise<boolean> {
  return await rawExecute(db, SQL.startStep, [
    start.agent_id,
    toJson(start.input_data),
    start.attempts,
    isoNow(),
    ...stepUnderLease(taskId, stepNumber, owner),
  ]) > 0;
}

/** Records a step's output; false when `owner` no longer holds the lease or it already completed. */
async function completeStep(
  db: Db,
  taskId: number,
  stepNumber: number,
  owner: string,
  agentId: number,
  output: JsonObject,
): Promise<boolean> {
  return await rawExecute(db, SQL.completeStep, [
    agentId,
    toJson(output),
    isoNow(),
    ...stepUnderLease(taskId, stepNumber, owner),
  ]) > 0;
}

/** Completes a task and frees its lease; false when the lease was lost or it was cancelled. */
export async function completeTask(
  db: Db,
  taskId: number,
  owner: string,
  result: JsonObject,
): Promise<boolean> {
  const now = isoNow();
  return await rawExecute(db, SQL.completeTask, [toJson(result), now, now, taskId, owner]) > 0;
}

/**
 * A step's output and, given the task's `result` (its last step), the task's completion in the
 * same statement on Postgres: whether the step was recorded (false: the lease was lost) and
 * whether the task completed (false: not asked, or cancelled meanwhile).
 */
export async function completeStepAndTask(
  db: Db,
  taskId: number,
  stepNumber: number,
  owner: string,
  agentId: number,
  output: JsonObject,
  result?: JsonObject,
): Promise<{ step: boolean; task: boolean }> {
  if (!result) {
    return {
      step: await completeStep(db, taskId, stepNumber, owner, agentId, output),
      task: false,
    };
  }
  if (!isPostgres(db)) {
    const step = await completeStep(db, taskId, stepNumber, owner, agentId, output);
    return { step, task: step && await completeTask(db, taskId, owner, result) };
  }
  const now = isoNow();
  const [row] = await rawQuery<{ step: number; task: number }>(db, SQL.completeStepAndTask, [
    agentId,
    toJson(output),
    now,
    ...stepUnderLease(taskId, stepNumber, owner),
    toJson(result),
    now,
    now,
    taskId,
    owner,
  ]);
  return { step: Number(row.step) > 0, task: Number(row.task) > 0 };
}
