/** Accepting a task (session, plan, persistence, wake-up) and presenting one to the API. */
import type { Kysely } from "kysely";
import { taskEvent } from "@app/lib";
import type { StepView, TaskResult, TaskView } from "@app/lib/api_contract";
import {
  type Agent,
  type Database,
  getTask,
  getTaskSteps,
  type InitialLease,
  insertTask,
  type JsonObject,
  newSessionId,
  type Task,
  type TaskStep,
  type WriteBatcher,
} from "@app/db";
import { type Executor, stepInput } from "./executor.ts";
import type { Metrics } from "./metrics.ts";
import type { Notifier } from "./notifier.ts";
import type { Plan } from "./plan.ts";
import type { Planner } from "./planner.ts";

export interface TaskServiceDeps {
  db: Kysely<Database>;
  writes: WriteBatcher;
  /** The registered agents (cached briefly: read for every task). */
  agents: () => Promise<Agent[]>;
  planner: Planner;
  notifier: Notifier;
  metrics: Metrics;
}

export interface NewTaskRequest {
  description: string;
  user_id?: string;
  session_id?: string;
  metadata?: Record<string, unknown>;
}

/** The executor's side of taking a submitted task straight into a free slot. */
export type TaskIntake = Pick<Executor, "reserve" | "unreserve" | "adopt" | "initialSteps">;

/**
 * Plans and stores a task. With an `intake` that has a free slot, the task is stored already
 * leased to it and starts at once; otherwise it waits in the database for a claim.
 */
export async function submitTask(
  deps: TaskServiceDeps,
  request: NewTaskRequest,
  intake?: TaskIntake,
) {
  const { planner, notifier } = deps;
  const userId = request.user_id ?? "anonymous";
  const { plan, fallbackReason } = await planner.plan(request.description, await deps.agents());
  const lease = intake?.reserve();
  // A new session holds only this message, so the agents' history is known without a read,
  // and the first steps can be stored as started.
  const history = lease && !request.session_id
    ? [{ role: "user", content: request.description }]
    : undefined;
  const start: TaskStart = {
    lease,
    history,
    steps: history ? intake!.initialSteps(plan.steps) : new Set(),
  };
  let stored: Awaited<ReturnType<typeof store>>;
  try {
    stored = await store(deps, request, userId, plan, fallbackReason, start);
  } catch (error) {
    if (lease) intake!.unreserve();
    throw error;
  }
  const { task, steps } = stored;
  deps.metrics.tasksCreated++;
  if (lease) intake!.adopt({ task, steps, history });
  else notifier.publish("task_queue");
  return {
    task_id: task.id,
    session_id: task.session_id,
    status: task.status,
    plan,
    created_at: task.created_at,
  };
}

/** How a submitted task starts: leased to this process, with which steps already running. */
interface TaskStart {
  lease?: InitialLease;
  history?: { role: string; content: string }[];
  steps: Set<number>;
}

/** One transaction for the session, the task, its steps, its first events and the message. */
function store(
  deps: TaskServiceDeps,
  request: NewTaskRequest,
  userId: string,
  plan: Plan,
  fallbackReason: string | undefined,
  start: TaskStart,
) {
  // The session is created with the task, unless it exists already.
  const sessionId = request.session_id ?? newSessionId();
  return deps.writes.run(async (trx, appends) => {
    const { task, steps } = await insertTask(trx, {
      session_id: sessionId,
      user_id: userId,
      description: request.description,
      plan: plan as unknown as JsonObject,
      metadata: (request.metadata ?? {}) as JsonObject,
      steps: plan.steps.map((step) => ({
        step_number: step.step_number,
        description: step.description,
        capability: step.capability,
        agent_id: step.agent_id,
        dependencies: step.dependencies,
        ...(start.steps.has(step.step_number) && {
          running: true,
          input_data: stepInput(step, {}, start.history?.length ?? 0),
        }),
      })),
    }, { lease: start.lease, appends, ensureSession: true });
    if (fallbackReason) {
      appends.event(
        task.id,
        taskEvent("plan.fallback", { planner: "deterministic", reason: fallbackReason }),
      );
    }
    for (const step of plan.steps.filter((s) => start.steps.has(s.step_number))) {
      appends.event(
        task.id,
        taskEvent("step.started", {
          step_number: step.step_number,
          agent_id: step.agent_id,
          agent_name: step.agent_name,
        }),
      );
    }
    appends.message({
      session_id: sessionId,
      role: "user",
      content: request.description,
      task_id: task.id,
    });
    return { task, steps };
  });
}

/** A step as the API shows it. */
export function stepView(step: TaskStep, agentNames: Map<number, string>): StepView {
  return {
    step_number: step.step_number,
    description: step.description,
    capability: step.capability,
    agent_id: step.agent_id,
    agent_name: step.agent_id === null ? null : agentNames.get(step.agent_id) ?? null,
    dependencies: step.dependencies,
    status: step.status,
    attempts: step.attempts,
    input_data: step.input_data,
    output_data: step.output_data,
    error: step.error,
    started_at: step.started_at,
    completed_at: step.completed_at,
  };
}

/** A task as the API shows it (lists pass no steps). */
export function taskView(
  task: Task,
  steps: TaskStep[],
  agentNames: Map<number, string>,
): TaskView {
  return {
    id: task.id,
    task_id: task.id,
    session_id: task.session_id,
    user_id: task.user_id,
    description: task.description,
    status: task.status,
    // Stored as JSON: the plan as its planner made it, the result as the executor built it.
    plan: task.plan as unknown as Plan,
    result: task.result as TaskResult,
    error: task.error,
    metadata: task.metadata,
    attempts: task.attempts,
    steps: steps.map((s) => stepView(s, agentNames)),
    created_at: task.created_at,
    updated_at: task.updated_at,
    completed_at: task.completed_at,
  };
}

/** Agent names by id, from the short-lived agent cache: clients poll task views often. */
export async function agentNameMap(agents: () => Promise<Agent[]>): Promise<Map<number, string>> {
  return new Map((await agents()).map((a) => [a.id, a.name]));
}

export async function loadTaskView(
  db: Kysely<Database>,
  agents: () => Promise<Agent[]>,
  id: number,
): Promise<TaskView | undefined> {
  const task = await getTask(db, id);
  if (!task) return undefined;
  const [steps, names] = await Promise.all([getTaskSteps(db, id), agentNameMap(agents)]);
  return taskView(task, steps, names);
}
