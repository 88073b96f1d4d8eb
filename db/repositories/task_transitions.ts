/**
 * The task lifecycle's statements. Each moves a row only from the states its transition
 * allows (the guard is rendered from `@app/lib/task_transitions`), and a change to a running
 * task only while the caller holds its lease (`LEASE_HELD`, the one lease guard). They read
 * nothing back: every task runs several, so each is one fixed statement.
 */
import type { Kysely, Transaction } from "kysely";
import {
  sqlStates,
  STEP_TRANSITIONS,
  type StepTransition,
  TASK_TRANSITIONS,
  type TaskTransition,
} from "@app/lib/task_transitions";
import type { Database } from "../schema.ts";
import type { JsonObject } from "../types.ts";
import { isoNow, toJson } from "../codec.ts";
import { isPostgres } from "../dialect.ts";
import { statement } from "../statement.ts";

type Db = Kysely<Database> | Transaction<Database>;

/** Who may change a running task: the process holding its lease. */
export interface Lease {
  taskId: number;
  owner: string;
}

/** The caller holds the task's lease (`:task_id`, `:owner`). */
const LEASE_HELD =
  `exists (select 1 from "tasks" where "id" = :task_id and "lease_owner" = :owner)`;

/** `"status" = 'to'` for the update, `"status" in (from...)` for its guard. */
const taskMove = (transition: TaskTransition) => {
  const { from, to } = TASK_TRANSITIONS[transition];
  return { set: `"status" = '${to}'`, guard: `"status" in (${sqlStates(from)})` };
};
const stepMove = (transition: StepTransition) => {
  const { from, to } = STEP_TRANSITIONS[transition];
  return { set: `"status" = '${to}'`, guard: `"status" in (${sqlStates(from)})` };
};

const THE_STEP = `"task_id" = :task_id and "step_number" = :step_number`;
/** A finished task holds no lease: nobody's later write can touch it. */
const NO_LEASE = `"lease_owner" = null, "lease_expires_at" = null`;

const start = stepMove("start");
const startStepSql = statement<{
  task_id: number;
  step_number: number;
  owner: string;
  agent_id: number | null;
  agent_name: string | null;
  input_data: string;
  attempts: number;
  now: string;
}>(
  `update "task_steps" set ${start.set}, "agent_id" = :agent_id, "agent_name" = :agent_name, ` +
    `"input_data" = :input_data, ` +
    `"attempts" = :attempts, "error" = null, "started_at" = :now ` +
    `where ${THE_STEP} and ${start.guard} and ${LEASE_HELD}`,
);

const completeStepText = (() => {
  const move = stepMove("complete");
  return `update "task_steps" set ${move.set}, "agent_id" = :agent_id, ` +
    `"agent_name" = :agent_name, "output_data" = :output, "error" = null, "completed_at" = :now ` +
    `where ${THE_STEP} and ${move.guard} and ${LEASE_HELD}`;
})();
type CompleteStepParams = {
  task_id: number;
  step_number: number;
  owner: string;
  agent_id: number;
  agent_name: string;
  output: string;
  now: string;
};
const completeStepSql = statement<CompleteStepParams>(completeStepText);

const completeTaskText = (() => {
  const move = taskMove("complete");
  return `update "tasks" set ${move.set}, "result" = :result, "error" = null, ` +
    `"completed_at" = :now, "updated_at" = :now, ${NO_LEASE} ` +
    `where "id" = :task_id and "lease_owner" = :owner and ${move.guard}`;
})();
const completeTaskSql = statement<
  { task_id: number; owner: string; result: string; now: string }
>(completeTaskText);

// Postgres: the last step's output and the task's completion in one round trip.
const completeStepAndTaskSql = statement<
  CompleteStepParams & { result: string },
  { step: number; task: number }
>(
  `with "s" as (${completeStepText} returning 1), "t" as (${completeTaskText} ` +
    `and exists (select 1 from "s") returning 1) ` +
    `select (select count(*) from "s") as "step", (select count(*) from "t") as "task"`,
);

const failStepSql = (() => {
  const move = stepMove("fail");
  return statement<
    { task_id: number; step_number: number; owner: string; error: string; now: string }
  >(
    `update "task_steps" set ${move.set}, "error" = :error, "completed_at" = :now ` +
      `where ${THE_STEP} and ${move.guard} and ${LEASE_HELD}`,
  );
})();

const failTaskSql = (() => {
  const move = taskMove("fail");
  return statement<
    { task_id: number; owner: string; error: string; result: string; now: string }
  >(
    `update "tasks" set ${move.set}, "error" = :error, "result" = :result, ` +
      `"completed_at" = :now, "updated_at" = :now, ${NO_LEASE} ` +
      `where "id" = :task_id and "lease_owner" = :owner and ${move.guard}`,
  );
})();

const cancelTaskSql = (() => {
  const move = taskMove("cancel");
  return statement<{ task_id: number; now: string }, { id: number }>(
    `update "tasks" set ${move.set}, "error" = 'cancelled by request', ` +
      `"completed_at" = :now, "updated_at" = :now, ${NO_LEASE} ` +
      `where "id" = :task_id and ${move.guard} returning "id"`,
  );
})();

const skipStepsSql = (() => {
  const move = stepMove("skip");
  return statement<{ task_id: number }, { step_number: number }>(
    `update "task_steps" set ${move.set} where "task_id" = :task_id and ${move.guard} ` +
      `returning "step_number"`,
  );
})();

const cancelStepsSql = (() => {
  const move = stepMove("cancel");
  return statement<{ task_id: number; now: string }, { step_number: number }>(
    `update "task_steps" set ${move.set}, "completed_at" = :now ` +
      `where "task_id" = :task_id and ${move.guard} returning "step_number"`,
  );
})();

const retryTaskSql = (() => {
  const move = taskMove("retry");
  return statement<{ task_id: number; now: string }, { id: number }>(
    `update "tasks" set ${move.set}, "error" = null, "result" = '{}', "completed_at" = null, ` +
      `"updated_at" = :now, ${NO_LEASE} where "id" = :task_id and ${move.guard} returning "id"`,
  );
})();

const retryStepsSql = (() => {
  const move = stepMove("retry");
  return statement<{ task_id: number }, { step_number: number }>(
    `update "task_steps" set ${move.set}, "error" = null, "started_at" = null, ` +
      `"completed_at" = null where "task_id" = :task_id and ${move.guard} returning "step_number"`,
  );
})();

const leased = (lease: Lease) => ({ task_id: lease.taskId, owner: lease.owner });

/** Starts a step's attempt; false when the lease is lost or the step may not start. */
export async function startStep(
  db: Db,
  lease: Lease,
  stepNumber: number,
  values: {
    agent_id: number | null;
    agent_name?: string | null;
    input_data: JsonObject;
    attempts: number;
  },
): Promise<boolean> {
  return await startStepSql.execute(db, {
    ...leased(lease),
    step_number: stepNumber,
    agent_id: values.agent_id,
    agent_name: values.agent_name ?? null,
    input_data: toJson(values.input_data),
    attempts: values.attempts,
    now: isoNow(),
  }) > 0;
}

/** Completes a task; false when the lease was lost (cancelled tasks hold none). */
export async function completeTask(db: Db, lease: Lease, result: JsonObject): Promise<boolean> {
  return await completeTaskSql.execute(db, {
    ...leased(lease),
    result: toJson(result),
    now: isoNow(),
  }) > 0;
}

/**
 * Records a step's output and, given the task's `result` (its last step), completes the task
 * too (one statement on Postgres): whether the step was recorded (false: the lease was lost)
 * and whether the task completed (false: not asked, or the lease was lost meanwhile).
 */
export async function completeStep(
  db: Db,
  lease: Lease,
  stepNumber: number,
  agent: { id: number; name: string },
  output: JsonObject,
  result?: JsonObject,
): Promise<{ step: boolean; task: boolean }> {
  const params = {
    ...leased(lease),
    step_number: stepNumber,
    agent_id: agent.id,
    agent_name: agent.name,
    output: toJson(output),
    now: isoNow(),
  };
  if (result && isPostgres(db)) {
    const [row] = await completeStepAndTaskSql.query(db, { ...params, result: toJson(result) });
    return { step: Number(row.step) > 0, task: Number(row.task) > 0 };
  }
  const step = await completeStepSql.execute(db, params) > 0;
  return { step, task: step && result !== undefined && await completeTask(db, lease, result) };
}

/** A step that failed on every agent; false when the lease was lost. */
export async function failStep(
  db: Db,
  lease: Lease,
  stepNumber: number,
  error: string,
): Promise<boolean> {
  return await failStepSql.execute(db, {
    ...leased(lease),
    step_number: stepNumber,
    error,
    now: isoNow(),
  }) > 0;
}

/** Fails a task; false when the lease was lost (cancelled tasks hold none). */
export async function failTask(
  db: Db,
  lease: Lease,
  error: string,
  result: JsonObject,
): Promise<boolean> {
  return await failTaskSql.execute(db, {
    ...leased(lease),
    error,
    result: toJson(result),
    now: isoNow(),
  }) > 0;
}

/** Skips the task's unfinished steps (its run has ended: none runs); their numbers, in order. */
export async function skipUnfinishedSteps(db: Db, taskId: number): Promise<number[]> {
  const rows = await skipStepsSql.query(db, { task_id: taskId });
  return rows.map((r) => r.step_number).sort((a, b) => a - b);
}

/** Cancels a task that has not finished and clears its lease; false when there is none such. */
export async function cancelTask(db: Db, taskId: number): Promise<boolean> {
  return (await cancelTaskSql.query(db, { task_id: taskId, now: isoNow() })).length > 0;
}

/** Cancels the task's steps that had not finished; their numbers, in order. */
export async function cancelUnfinishedSteps(db: Db, taskId: number): Promise<number[]> {
  const rows = await cancelStepsSql.query(db, { task_id: taskId, now: isoNow() });
  return rows.map((r) => r.step_number).sort((a, b) => a - b);
}

/** Queues a failed or cancelled task again; false when it is in no such state. */
export async function retryTask(db: Db, taskId: number): Promise<boolean> {
  return (await retryTaskSql.query(db, { task_id: taskId, now: isoNow() })).length > 0;
}

/** Queues the task's failed, skipped and cancelled steps again; their numbers, in order. */
export async function retryUnfinishedSteps(db: Db, taskId: number): Promise<number[]> {
  const rows = await retryStepsSql.query(db, { task_id: taskId });
  return rows.map((r) => r.step_number).sort((a, b) => a - b);
}
