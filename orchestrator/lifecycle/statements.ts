/**
 * The lifecycle's statements: each moves rows only from the states its transition allows (the
 * guard comes from transitions.ts) and, for a running task, only under the caller's lease.
 */
import { type Kysely, sql, type Transaction } from "kysely";
import {
  claimTasks as claim,
  completeStepAndTask,
  completeTask as complete,
  type Database,
  getTask as readTask,
  getTaskSteps,
  isoNow,
  type JsonObject,
  releaseLease as release,
  renewLease as renew,
  startStep as start,
  type Task,
  type TaskStep,
} from "@app/db";
import { STEP_TRANSITIONS, TASK_TRANSITIONS } from "./transitions.ts";

type Db = Kysely<Database> | Transaction<Database>;

/** Who may change a running task: the process holding its lease. */
export interface Lease {
  taskId: number;
  owner: string;
}

export const claimTasks = claim;

export const renewLease = (db: Db, lease: Lease, leaseMs: number) =>
  renew(db, lease.taskId, lease.owner, leaseMs);

export const releaseLease = (db: Db, lease: Lease) => release(db, lease.taskId, lease.owner);

export const getTask = (db: Db, taskId: number): Promise<Task | undefined> => readTask(db, taskId);

export const stepsOf = (db: Db, taskId: number): Promise<TaskStep[]> => getTaskSteps(db, taskId);

export const startStep = (
  db: Db,
  lease: Lease,
  stepNumber: number,
  values: { agent_id: number | null; input_data: JsonObject; attempts: number },
) => start(db, lease.taskId, stepNumber, lease.owner, values);

export const completeStep = (
  db: Db,
  lease: Lease,
  stepNumber: number,
  agentId: number,
  output: JsonObject,
  result?: JsonObject,
) => completeStepAndTask(db, lease.taskId, stepNumber, lease.owner, agentId, output, result);

export const completeTask = (db: Db, lease: Lease, result: JsonObject) =>
  complete(db, lease.taskId, lease.owner, result);

const leaseHeld = (lease: Lease) =>
  sql<
    boolean
  >`exists (select 1 from tasks where id = ${lease.taskId} and lease_owner = ${lease.owner})`;

export async function failStep(
  db: Db,
  lease: Lease,
  stepNumber: number,
  error: string,
): Promise<boolean> {
  const rows = await db.updateTable("task_steps")
    .set({ status: STEP_TRANSITIONS.fail.to, error, completed_at: isoNow() })
    .where("task_id", "=", lease.taskId).where("step_number", "=", stepNumber)
    .where("status", "in", STEP_TRANSITIONS.fail.from).where(leaseHeld(lease))
    .returning("id").execute();
  return rows.length > 0;
}

export async function failTask(
  db: Db,
  lease: Lease,
  error: string,
  result: JsonObject,
): Promise<boolean> {
  const now = isoNow();
  const rows = await db.updateTable("tasks")
    .set({
      status: TASK_TRANSITIONS.fail.to,
      error,
      result: JSON.stringify(result),
      completed_at: now,
      updated_at: now,
      lease_owner: null,
      lease_expires_at: null,
    })
    .where("id", "=", lease.taskId).where("lease_owner", "=", lease.owner)
    .where("status", "in", TASK_TRANSITIONS.fail.from)
    .returning("id").execute();
  return rows.length > 0;
}

/** Skips the task's steps that never started; their numbers, in order. */
export async function skipPendingSteps(db: Db, taskId: number): Promise<number[]> {
  const rows = await db.updateTable("task_steps").set({ status: STEP_TRANSITIONS.skip.to })
    .where("task_id", "=", taskId).where("status", "in", STEP_TRANSITIONS.skip.from)
    .returning("step_number").execute();
  return rows.map((r) => r.step_number).sort((a, b) => a - b);
}

/** Cancels a task that has not finished, clearing its lease; false when there is none such. */
export async function cancelTask(db: Db, taskId: number): Promise<boolean> {
  const now = isoNow();
  const rows = await db.updateTable("tasks")
    .set({
      status: TASK_TRANSITIONS.cancel.to,
      error: "cancelled by request",
      completed_at: now,
      updated_at: now,
      lease_owner: null,
      lease_expires_at: null,
    })
    .where("id", "=", taskId).where("status", "in", TASK_TRANSITIONS.cancel.from)
    .returning("id").execute();
  return rows.length > 0;
}

/** Cancels the task's steps that had not finished; their numbers, in order. */
export async function cancelUnfinishedSteps(db: Db, taskId: number): Promise<number[]> {
  const rows = await db.updateTable("task_steps")
    .set({ status: STEP_TRANSITIONS.cancel.to, completed_at: isoNow() })
    .where("task_id", "=", taskId).where("status", "in", STEP_TRANSITIONS.cancel.from)
    .returning("step_number").execute();
  return rows.map((r) => r.step_number).sort((a, b) => a - b);
}
