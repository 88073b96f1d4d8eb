/** Accepting a task (session, plan, persistence, wake-up) and presenting one to the API. */
import type { Kysely } from "kysely";
import type { StepView, TaskResult, TaskView } from "@app/lib/api_contract";
import {
  type Agent,
  type Database,
  getTaskHead,
  getTaskSteps,
  getTaskUsage,
  type IdempotencyKeyRef,
  type JsonObject,
  listMessages,
  newSessionId,
  type Task,
  type TaskHead,
  type TaskStep,
  type TaskWebhook,
} from "@app/db";
import type { AdmitStart, Executor } from "./executor/executor.ts";
import { stepInput } from "./executor/step_input.ts";
import type { TaskRun } from "./executor/task_run.ts";
import type { TaskLifecycle } from "./lifecycle/lifecycle.ts";
import type { Metrics } from "./metrics.ts";
import type { Plan } from "./plan.ts";
import type { Planner } from "./planner.ts";
import type { Budget } from "./executor/budget.ts";
import { meterUsage } from "@app/lib/usage";
import { usageRows } from "./usage_rows.ts";
import { stepUsage, taskUsage, traceOf } from "./usage_view.ts";
import { inSpan, traceparentOf } from "@app/lib/tracing";

export interface TaskServiceDeps {
  lifecycle: TaskLifecycle;
  /** Where an existing session's recent turns are read for the planner. */
  db?: Kysely<Database>;
  /** The registered agents (cached briefly: read for every task). */
  agents: () => Promise<Agent[]>;
  planner: Planner;
  metrics: Metrics;
}

export interface NewTaskRequest {
  description: string;
  user_id?: string;
  session_id?: string;
  metadata?: Record<string, unknown>;
  /** Who submitted it, named in its `task.created` event. */
  actor?: string;
  /** Its budget (the route applies DEFAULT_TASK_BUDGET_TOKENS). */
  budget?: Budget;
  /** Wait with the plan for a person's approval before any agent is called. */
  require_approval?: boolean;
  /** Wait behind the session's earlier tasks (`if_busy: "enqueue"`), planned when its turn comes. */
  queued?: boolean;
}

/** How many of a session's last messages the planner sees. */
const PLANNER_TURNS = 6;

/** The executor's side of taking a submitted task straight into a free slot. */
export type TaskIntake = Pick<Executor, "admit">;

export interface SubmitOptions {
  /** The submitter's claimed idempotency key: its response is stored with the task. */
  idempotencyKey?: IdempotencyKeyRef;
  /** Webhooks for the task's events, stored with it. */
  webhooks?: TaskWebhook[];
  /** Called as soon as the task is stored and announced, before anything else can change it. */
  onStored?: () => void;
}

/**
 * Plans and stores a task. Through an `intake` with a free slot, the task is stored already
 * leased to it and starts at once; otherwise it waits in the database for a claim.
 */
export async function submitTask(
  deps: TaskServiceDeps,
  request: NewTaskRequest,
  intake?: TaskIntake,
  options: SubmitOptions = {},
) {
  // The planner sees an existing session's recent turns, this request last, so a follow-up
  // ("summarize that") is planned on the earlier answer.
  const earlier = request.session_id && deps.db
    ? (await listMessages(deps.db, request.session_id, { last: PLANNER_TURNS }))
      .map((m) => ({ role: m.role, content: m.content }))
    : [];
  const agents = await deps.agents();
  // The planner's LLM calls are the task's own usage (no step's).
  const planningStarted = performance.now();
  const { value: { plan, fallbackReason }, usage } = await inSpan(
    "plan",
    {},
    (span) =>
      meterUsage(() =>
        deps.planner.plan(
          request.description,
          agents,
          [...earlier, { role: "user", content: request.description }],
        )
      ).then((planned) => {
        span.setAttributes({
          planner: planned.value.plan.planner,
          "plan.steps": planned.value.plan.steps.length,
        });
        return planned;
      }),
  );
  deps.metrics.planningDuration(plan.planner, (performance.now() - planningStarted) / 1000);
  const planningUsage = usageRows(deps.lifecycle.prices, usage, { step_number: null, agent: null });
  // Steps run later, maybe elsewhere: they join this request's trace through the task.
  const context = { budget: request.budget ?? null, traceparent: traceparentOf() };
  // A task that waits (for approval, or for its turn) is stored unleased and unclaimable.
  const waiting = request.queued
    ? "queued"
    : request.require_approval
    ? "awaiting_approval"
    : undefined;
  // The session is created with the task, unless it exists already.
  const sessionId = request.session_id ?? newSessionId();
  const store = async (start: AdmitStart | undefined): Promise<TaskRun> => {
    // A new session holds only this message, so the agents' history is known without a
    // read, and the first steps can be stored as started.
    const history = start && !request.session_id
      ? [{ role: "user", content: request.description }]
      : undefined;
    const running = history ? start!.firstSteps : new Set<number>();
    const { task, steps } = await deps.lifecycle.submit({
      session_id: sessionId,
      user_id: request.user_id ?? "anonymous",
      description: request.description,
      // A queued task remembers that its plan, made when its turn comes, needs approval.
      plan: (waiting === "queued" && request.require_approval
        ? { ...plan, require_approval: true }
        : plan) as unknown as JsonObject,
      status: waiting,
      metadata: (request.metadata ?? {}) as JsonObject,
      plannerFallback: fallbackReason,
      actor: request.actor,
      lease: start?.lease,
      idempotencyKey: options.idempotencyKey,
      webhooks: options.webhooks,
      planningUsage,
      context,
      steps: plan.steps.map((step) => ({
        step_number: step.step_number,
        description: step.description,
        capability: step.capability,
        agent_id: step.agent_id,
        agent_name: step.agent_name,
        dependencies: step.dependencies,
        ...(running.has(step.step_number) && {
          running: true,
          input_data: stepInput(step, {}, history!.length),
        }),
      })),
    });
    options.onStored?.();
    return { task, steps, history, context };
  };
  const { task } = intake && !waiting
    ? await intake.admit(plan.steps, store)
    : await store(undefined);
  deps.metrics.taskCreated();
  deps.metrics.usage(planningUsage);
  return {
    task_id: task.id,
    session_id: task.session_id,
    status: task.status,
    plan,
    created_at: task.created_at,
  };
}

export function stepView(step: TaskStep, agentNames: Map<number, string>): StepView {
  return {
    step_number: step.step_number,
    description: step.description,
    capability: step.capability,
    agent_id: step.agent_id,
    // The agent's name now, or as it was when it ran the step (it may have been removed).
    agent_name: (step.agent_id === null ? undefined : agentNames.get(step.agent_id)) ??
      step.agent_name,
    dependencies: step.dependencies,
    status: step.status,
    attempts: step.attempts,
    input_data: step.input_data,
    output_data: step.output_data,
    error: step.error,
    started_at: step.started_at,
    completed_at: step.completed_at,
    question: step.question,
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
  /** Only if this user owns it (see access.ts). */
  owner?: string,
  /** TRACE_URL_TEMPLATE, for the task's trace link. */
  traceUrlTemplate?: string,
  /** The task's head as just read (by a waiter that saw it end), so it is not read again. */
  head?: TaskHead,
): Promise<TaskView | undefined> {
  head ??= await getTaskHead(db, id, owner);
  if (!head) return undefined;
  const { task, context, hasUsage } = head;
  const [steps, names, usage] = await Promise.all([
    getTaskSteps(db, id),
    agentNameMap(agents),
    hasUsage ? getTaskUsage(db, id) : [],
  ]);
  const view = taskView(task, steps, names);
  return {
    ...view,
    steps: view.steps.map((s) => ({ ...s, usage: stepUsage(usage, s.step_number) })),
    usage: taskUsage(usage),
    budget: context.budget,
    ...traceOf(context, traceUrlTemplate),
  };
}
