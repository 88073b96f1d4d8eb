/**
 * The statements of a task that waits for a person (issue 15): a plan awaiting approval, a
 * step whose agent asked a question, a task queued behind its session's earlier ones. Each
 * moves a row only from the states its transition allows (guards from the transition table);
 * a waiting task holds no lease, so none of these but the asking step's needs one.
 */
import type { Kysely, Transaction } from "kysely";
import {
  STEP_TRANSITIONS,
  type StepTransition,
  TASK_TRANSITIONS,
  type TaskTransition,
} from "@app/lib/task_transitions";
import { FINISHED_TASK_STATUSES } from "@app/lib/task_events";
import type { Database } from "../schema.ts";
import type { JsonObject, Task } from "../types.ts";
import { affected, isoNow, toJson } from "../codec.ts";
import { taskRows } from "../rows.ts";
import type { Lease } from "./task_transitions.ts";

type Db = Kysely<Database> | Transaction<Database>;

const taskFrom = (t: TaskTransition) => [...TASK_TRANSITIONS[t].from];
const taskTo = (t: TaskTransition) => TASK_TRANSITIONS[t].to;
const stepFrom = (t: StepTransition) => [...STEP_TRANSITIONS[t].from];
const stepTo = (t: StepTransition) => STEP_TRANSITIONS[t].to;

/** What an agent asked, where its answer goes, and whether it asked after an answer. */
export interface StepQuestion {
  question: string;
  agent_task_id: string | null;
  agent_context_id: string | null;
  answered: boolean;
}

/** A running step's agent asked: the step waits with its question; false if the lease is lost. */
export async function askForInput(
  db: Db,
  lease: Lease,
  stepNumber: number,
  asked: StepQuestion & { agent_id: number; agent_name: string },
): Promise<boolean> {
  const { answered, ...columns } = asked;
  const result = await db.updateTable("task_steps").set((eb) => ({
    status: stepTo("ask"),
    ...columns,
    answer: null,
    // The answer just sent has had its key: the next answer needs another.
    ...(answered && { answers: eb("answers", "+", 1) }),
  })).where("task_id", "=", lease.taskId).where("step_number", "=", stepNumber)
    .where("status", "in", stepFrom("ask"))
    .where((eb) =>
      eb.exists(
        eb.selectFrom("tasks").select("id").where("id", "=", lease.taskId)
          .where("lease_owner", "=", lease.owner),
      )
    ).executeTakeFirst();
  return affected(result) > 0;
}

/**
 * The task waits for answers and hands its lease back, if the caller holds it, a step waits,
 * and none runs. The waiting steps' numbers, or undefined when it did not move.
 */
export async function waitForInput(db: Db, lease: Lease): Promise<number[] | undefined> {
  const result = await db.updateTable("tasks").set({
    status: taskTo("wait"),
    lease_owner: null,
    lease_expires_at: null,
    updated_at: isoNow(),
  }).where("id", "=", lease.taskId).where("lease_owner", "=", lease.owner)
    .where("status", "in", taskFrom("wait"))
    .where((eb) =>
      eb.exists(
        eb.selectFrom("task_steps").select("id").where("task_id", "=", lease.taskId)
          .where("status", "=", stepTo("ask")),
      )
    )
    .where((eb) =>
      eb.not(eb.exists(
        eb.selectFrom("task_steps").select("id").where("task_id", "=", lease.taskId)
          .where("status", "=", "running"),
      ))
    ).executeTakeFirst();
  if (affected(result) === 0) return undefined;
  return await waitingSteps(db, lease.taskId);
}

/** The numbers of the task's steps waiting for an answer, in order. */
export async function waitingSteps(db: Db, taskId: number): Promise<number[]> {
  const rows = await db.selectFrom("task_steps").select("step_number")
    .where("task_id", "=", taskId).where("status", "=", stepTo("ask"))
    .orderBy("step_number").execute();
  return rows.map((r) => r.step_number);
}

/**
 * Records a person's answer to a waiting step of a waiting task: the step goes back to
 * `pending` holding the answer (sent when the task is next claimed) and the task becomes
 * claimable. False when the task or the step was not waiting (answered meanwhile).
 */
export async function answerStep(
  db: Db,
  taskId: number,
  stepNumber: number,
  text: string,
): Promise<boolean> {
  const task = await db.updateTable("tasks").set({ status: taskTo("answer"), updated_at: isoNow() })
    .where("id", "=", taskId).where("status", "in", taskFrom("answer")).executeTakeFirst();
  if (affected(task) === 0) return false;
  const step = await db.updateTable("task_steps").set({ status: stepTo("answer"), answer: text })
    .where("task_id", "=", taskId).where("step_number", "=", stepNumber)
    .where("status", "in", stepFrom("answer")).executeTakeFirst();
  return affected(step) > 0;
}

/** A plan step as the approved plan gives it. */
export interface PlannedStep {
  step_number: number;
  description: string;
  capability: string;
  agent_id: number | null;
  agent_name: string | null;
  dependencies: number[];
}

/** Replaces a task's (never started) steps with the plan's. */
async function replaceSteps(db: Db, taskId: number, steps: PlannedStep[]): Promise<void> {
  await db.deleteFrom("task_steps").where("task_id", "=", taskId).execute();
  await db.insertInto("task_steps").values(steps.map((s) => ({
    task_id: taskId,
    step_number: s.step_number,
    description: s.description,
    capability: s.capability,
    agent_id: s.agent_id,
    agent_name: s.agent_name,
    dependencies: toJson(s.dependencies),
    status: "pending",
    input_data: "{}",
    output_data: "{}",
    attempts: 0,
  }))).execute();
}

/**
 * Approves a plan awaiting approval: the task becomes claimable; an edited plan replaces the
 * stored one and its steps. False when the task was not awaiting approval.
 */
export async function approvePlan(
  db: Db,
  taskId: number,
  edited?: { plan: JsonObject; steps: PlannedStep[] },
): Promise<boolean> {
  const result = await db.updateTable("tasks").set({
    status: taskTo("approve"),
    updated_at: isoNow(),
    ...(edited && { plan: toJson(edited.plan) }),
  }).where("id", "=", taskId).where("status", "in", taskFrom("approve")).executeTakeFirst();
  if (affected(result) === 0) return false;
  if (edited) await replaceSteps(db, taskId, edited.steps);
  return true;
}

/** Ends a plan awaiting approval as cancelled with `reason`; false when it was not awaiting. */
export async function rejectPlan(db: Db, taskId: number, reason: string): Promise<boolean> {
  const now = isoNow();
  const result = await db.updateTable("tasks").set({
    status: taskTo("reject"),
    error: reason,
    result: toJson({ summary: reason, error: reason }),
    completed_at: now,
    updated_at: now,
  }).where("id", "=", taskId).where("status", "in", taskFrom("reject")).executeTakeFirst();
  return affected(result) > 0;
}

/** Tasks whose plan has awaited approval since before `before` (oldest first). */
export async function overdueApprovals(
  db: Db,
  before: string,
  limit = 100,
): Promise<{ id: number; session_id: string }[]> {
  return await db.selectFrom("tasks").select(["id", "session_id"])
    .where("status", "in", taskFrom("reject")).where("updated_at", "<", before)
    .orderBy("id").limit(limit).execute();
}

/** Queued tasks whose session has no earlier unfinished task: their turn has come. */
export async function dequeueableTasks(db: Db, limit = 50): Promise<Task[]> {
  const rows = await db.selectFrom("tasks as t").selectAll("t")
    .where("t.status", "in", taskFrom("dequeue"))
    .where((eb) =>
      eb.not(eb.exists(
        eb.selectFrom("tasks as e").select("e.id")
          .whereRef("e.session_id", "=", "t.session_id").whereRef("e.id", "<", "t.id")
          .where("e.status", "not in", [...FINISHED_TASK_STATUSES]),
      ))
    ).orderBy("t.id").limit(limit).execute();
  return rows.map((row) => taskRows.decode(row));
}

/** Whether the session has a task still queued (a cheap look before the full query). */
export async function hasQueuedTasks(db: Db): Promise<boolean> {
  const row = await db.selectFrom("tasks").select("id")
    .where("status", "in", taskFrom("dequeue")).limit(1).executeTakeFirst();
  return row !== undefined;
}

/**
 * A queued task's turn: re-planned, it becomes claimable or, needing approval, awaits it.
 * False when it was no longer queued (another process took its turn, or it was cancelled).
 */
export async function dequeueTask(
  db: Db,
  taskId: number,
  to: "pending" | "awaiting_approval",
  planned: { plan: JsonObject; steps: PlannedStep[] },
): Promise<boolean> {
  const transition = to === "pending" ? "dequeue" : "dequeueForApproval";
  const result = await db.updateTable("tasks").set({
    status: taskTo(transition),
    plan: toJson(planned.plan),
    updated_at: isoNow(),
  }).where("id", "=", taskId).where("status", "in", taskFrom(transition)).executeTakeFirst();
  if (affected(result) === 0) return false;
  await replaceSteps(db, taskId, planned.steps);
  return true;
}

/** The session's tasks that have not ended, oldest first. */
export async function unfinishedSessionTasks(db: Db, sessionId: string): Promise<Task[]> {
  const rows = await db.selectFrom("tasks").selectAll().where("session_id", "=", sessionId)
    .where("status", "not in", [...FINISHED_TASK_STATUSES]).orderBy("id").execute();
  return rows.map((row) => taskRows.decode(row));
}
