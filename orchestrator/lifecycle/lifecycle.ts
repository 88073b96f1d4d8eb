/**
 * The task lifecycle: the only code that changes a task's or a step's status. Each change is
 * written with its typed events (and the session's message, where it makes one) in one
 * transaction of the write batch, so a reader never sees a state without its event, then
 * announced. Submit, the executor and cancel call it; it calls nothing of theirs. Two parts
 * are written beside it over its core (lifecycle_core.ts): the waits on a person
 * (human_waits.ts) and a person's cancel and retry (cancel_retry.ts); callers use this class.
 */
import type { Kysely } from "kysely";
import {
  type Agent,
  type BatchAppends,
  claimTasks,
  completeIdempotencyKey,
  type Database,
  failWebhookDelivery,
  getTaskSteps,
  type IdempotencyKeyRef,
  type InitialLease,
  insertTask,
  insertTaskContext,
  insertTaskWebhooks,
  insertUsage,
  type JsonObject,
  type Lease,
  type NewStep,
  releaseLease,
  renewLease,
  type Task,
  type TaskContext,
  type TaskStep,
  type TaskWebhook,
  transitions,
  type UsageRow,
  type WriteBatcher,
} from "@app/db";
import { type NewTaskEvent, taskEvent } from "@app/lib";
import { DEFAULT_PRICES, type PriceTable } from "@app/lib/prices";
import type { Notifier } from "../notifier.ts";
import { buildResult } from "../result.ts";
import { CancelAndRetry } from "./cancel_retry.ts";
import { HumanWaits } from "./human_waits.ts";
import type { LifecycleCore, Write } from "./lifecycle_core.ts";

export interface LifecycleDeps {
  db: Kysely<Database>;
  /** Group commit: the lifecycle's writes share transactions with others of the moment. */
  writes: WriteBatcher;
  notifier: Notifier;
  /** What models' tokens cost (default: the built-in table). */
  prices?: PriceTable;
}

export type { Lease } from "@app/db";

/** A task to store, as its submitter planned it. */
export interface Submission {
  session_id: string;
  user_id: string;
  description: string;
  plan: JsonObject;
  metadata: JsonObject;
  steps: (NewStep & { agent_name?: string | null })[];
  /** Who submitted it (named in `task.created`). */
  actor?: string;
  /** Why the planner fell back to its deterministic plan, if it did. */
  plannerFallback?: string;
  /** Stored already leased to this process, which runs it at once. */
  lease?: InitialLease;
  /** The client's idempotency key, claimed: its response is recorded with the task. */
  idempotencyKey?: IdempotencyKeyRef;
  /** Where the task's events go as webhooks (its own, and WEBHOOK_URL's). */
  webhooks?: TaskWebhook[];
  /** What planning it cost (the planner's LLM calls). */
  planningUsage?: UsageRow[];
  /** Its budget and the submitting request's trace context, when it has either. */
  context?: TaskContext;
  /** Stored waiting: for its plan's approval, or behind the session's earlier tasks. */
  status?: "awaiting_approval" | "queued";
}

/** What a task's last step hands over: the task's result, built from every step's output. */
export interface TaskCompletion {
  result: JsonObject;
}

export class TaskLifecycle {
  readonly #db: Kysely<Database>;
  readonly #writes: WriteBatcher;
  readonly #notifier: Notifier;
  readonly #waits: HumanWaits;
  readonly #cancelRetry: CancelAndRetry;
  /** Usage is priced with this table when it is recorded. */
  readonly prices: PriceTable;

  constructor(deps: LifecycleDeps) {
    this.#db = deps.db;
    this.#writes = deps.writes;
    this.#notifier = deps.notifier;
    this.prices = deps.prices ?? DEFAULT_PRICES;
    const core: LifecycleCore = {
      db: deps.db,
      writes: deps.writes,
      notifier: deps.notifier,
      record: (taskId, write) => this.#record(taskId, write),
      announce: (taskId) => this.#announce(taskId),
    };
    this.#waits = new HumanWaits(core);
    this.#cancelRetry = new CancelAndRetry(core);
  }

  /**
   * Stores a task with its steps, its session if new, its first events (`task.created`, and
   * with a lease `task.started` and `step.started` for the steps stored running) and the
   * user's message (and the response for the submitter's idempotency key), in one transaction.
   */
  async submit(submission: Submission): Promise<{ task: Task; steps: TaskStep[] }> {
    const stored = await this.#writes.run(async (trx, appends) => {
      const { task, steps } = await insertTask(trx, {
        session_id: submission.session_id,
        user_id: submission.user_id,
        description: submission.description,
        plan: submission.plan,
        metadata: submission.metadata,
        steps: submission.steps,
        actor: submission.actor,
        status: submission.status,
      }, { lease: submission.lease, appends, ensureSession: true });
      if (submission.status === "awaiting_approval") {
        appends.event(
          task.id,
          taskEvent("plan.proposed", { status: "awaiting_approval", plan: submission.plan }),
        );
      }
      if (submission.plannerFallback) {
        appends.event(
          task.id,
          taskEvent("plan.fallback", {
            planner: "deterministic",
            reason: submission.plannerFallback,
          }),
        );
      }
      for (const step of steps.filter((s) => s.status === "running")) {
        const planned = submission.steps.find((s) => s.step_number === step.step_number);
        appends.event(
          task.id,
          taskEvent("step.started", {
            step_number: step.step_number,
            agent_id: step.agent_id,
            agent_name: planned?.agent_name ?? null,
          }),
        );
      }
      appends.message({
        session_id: submission.session_id,
        role: "user",
        content: submission.description,
        task_id: task.id,
      });
      if (submission.webhooks?.length) {
        await insertTaskWebhooks(trx, task.id, submission.webhooks);
      }
      if (submission.context) await insertTaskContext(trx, task.id, submission.context);
      if (submission.planningUsage?.length) {
        await insertUsage(trx, task, submission.planningUsage);
      }
      if (submission.idempotencyKey) {
        await completeIdempotencyKey(trx, submission.idempotencyKey, task.id, {
          task_id: task.id,
          session_id: task.session_id,
          status: task.status,
          plan: submission.plan,
          created_at: task.created_at,
        });
      }
      return { task, steps };
    });
    this.#announce(stored.task.id);
    if (!submission.lease && !submission.status) this.#notifier.publish("task_queue");
    return stored;
  }

  /**
   * Takes up to `limit` claimable tasks for `owner` (never leased, oldest first, and with
   * `expired` those whose owner's lease ran out), each with its `task.started` or
   * `task.resumed` event.
   */
  async claim(
    owner: string,
    leaseMs: number,
    limit: number,
    options: { expired: boolean },
  ): Promise<Task[]> {
    const claimed = await this.#writes.run(async (trx, appends) => {
      const tasks = await claimTasks(trx, owner, leaseMs, limit, options);
      for (const task of tasks) {
        appends.event(
          task.id,
          taskEvent(task.attempts === 1 ? "task.started" : "task.resumed", {
            status: "executing",
            owner,
            attempt: task.attempts,
          }),
        );
      }
      return tasks;
    });
    for (const task of claimed) this.#announce(task.id);
    return claimed;
  }

  /** Extends the lease; false when it was lost (taken over, released, or the task finished). */
  renewLease(lease: Lease, leaseMs: number): Promise<boolean> {
    return renewLease(this.#db, lease.taskId, lease.owner, leaseMs);
  }

  /** Hands a lease back so any process may take the task at once. */
  async releaseLease(lease: Lease): Promise<boolean> {
    const released = await releaseLease(this.#db, lease.taskId, lease.owner);
    if (released) this.#notifier.publish("task_queue");
    return released;
  }

  /** Records an event that changes no state (a retry, a fallback). */
  async note(taskId: number, event: NewTaskEvent): Promise<void> {
    await this.#writes.run((_trx, appends) => Promise.resolve(appends.event(taskId, event)));
    this.#announce(taskId, false);
  }

  /**
   * What a running step's agent streamed lately, as one `step.progress` event (the relay
   * coalesces chunks; the step's output is stored when it completes, as ever).
   */
  async stepProgress(
    taskId: number,
    stepNumber: number,
    agentId: number,
    progress: { status: string | null; text: string },
  ): Promise<void> {
    await this.note(
      taskId,
      taskEvent("step.progress", { step_number: stepNumber, agent_id: agentId, ...progress }),
    );
  }

  /** Starts a step's attempt under the lease; false when the lease is lost or the step done. */
  startStep(
    lease: Lease,
    step: Pick<TaskStep, "step_number">,
    start: { agent: Agent | undefined; input_data: JsonObject; attempts: number },
  ): Promise<boolean> {
    return this.#record(lease.taskId, async (trx, appends) => {
      const started = await transitions.startStep(trx, lease, step.step_number, {
        agent_id: start.agent?.id ?? null,
        agent_name: start.agent?.name ?? null,
        input_data: start.input_data,
        attempts: start.attempts,
      });
      if (started) {
        appends.event(
          lease.taskId,
          taskEvent("step.started", {
            step_number: step.step_number,
            agent_id: start.agent?.id ?? null,
            agent_name: start.agent?.name ?? null,
          }),
        );
      }
      return started;
    }, false);
  }

  /**
   * Records a step's output under the lease. Given the task's completion (its last step), the
   * task completes in the same statement, with the assistant's answer in the session. `step`
   * is false when the lease was lost; `task` false when not asked or cancelled meanwhile. The
   * LLM usage the agent reported is kept with the step, in the same transaction.
   */
  async completeStep(
    lease: Lease,
    task: Pick<Task, "session_id">,
    stepNumber: number,
    agent: Pick<Agent, "id" | "name">,
    output: JsonObject,
    completion?: TaskCompletion,
    usage: readonly UsageRow[] = [],
  ): Promise<{ step: boolean; task: boolean }> {
    const outcome = await this.#writes.run(async (trx, appends) => {
      const done = await transitions.completeStep(
        trx,
        lease,
        stepNumber,
        agent,
        output,
        completion?.result,
      );
      if (!done.step) return done;
      await insertUsage(trx, { id: lease.taskId, session_id: task.session_id }, usage);
      appends.event(
        lease.taskId,
        taskEvent("step.completed", {
          step_number: stepNumber,
          agent_id: agent.id,
          agent_name: agent.name,
          output,
        }),
      );
      if (done.task) this.#completed(appends, lease.taskId, task, completion!);
      return done;
    });
    if (outcome.step) this.#announce(lease.taskId, outcome.task);
    return outcome;
  }

  /** Completes a task whose steps are all complete (a run resumed after its last step). */
  completeTask(lease: Lease, task: Pick<Task, "session_id">, completion: TaskCompletion) {
    return this.#record(lease.taskId, async (trx, appends) => {
      if (!(await transitions.completeTask(trx, lease, completion.result))) return false;
      this.#completed(appends, lease.taskId, task, completion);
      return true;
    });
  }

  /** A step whose every agent and attempt failed. */
  failStep(lease: Lease, stepNumber: number, error: string): Promise<boolean> {
    return this.#record(lease.taskId, async (trx, appends) => {
      if (!(await transitions.failStep(trx, lease, stepNumber, error))) return false;
      appends.event(lease.taskId, taskEvent("step.failed", { step_number: stepNumber, error }));
      return true;
    }, false);
  }

  /**
   * Fails the task under the lease: its steps that never ran are skipped, its partial result
   * kept, the failure told in the session, and `task.failed` written last, all at once. False
   * when the lease was lost or the task was cancelled meanwhile. `cause`, an event saying why
   * (`budget.exceeded`), is written just before `task.failed`.
   */
  failTask(
    lease: Lease,
    task: Pick<Task, "session_id">,
    error: string,
    cause?: NewTaskEvent,
  ): Promise<boolean> {
    return this.#record(lease.taskId, async (trx, appends) => {
      const steps = await getTaskSteps(trx, lease.taskId);
      const summary = `The task failed: ${error}`;
      const result = { ...buildResult(steps), summary, error };
      if (!(await transitions.failTask(trx, lease, error, result))) return false;
      for (const stepNumber of await transitions.skipPendingSteps(trx, lease.taskId)) {
        appends.event(lease.taskId, taskEvent("step.skipped", { step_number: stepNumber }));
      }
      appends.message({
        session_id: task.session_id,
        role: "assistant",
        content: summary,
        task_id: lease.taskId,
      });
      if (cause) appends.event(lease.taskId, cause);
      appends.event(lease.taskId, taskEvent("task.failed", { status: "failed", error }));
      return true;
    });
  }

  // A person's cancel and retry: cancel_retry.ts, over this lifecycle's core.
  readonly cancel: CancelAndRetry["cancel"] = (...a) => this.#cancelRetry.cancel(...a);
  readonly retry: CancelAndRetry["retry"] = (...a) => this.#cancelRetry.retry(...a);

  /**
   * A webhook delivery that gave up: marked failed (if `owner` still holds it) with
   * `webhook.failed` in its task's events, at once.
   */
  async webhookGaveUp(
    delivery: { id: number; delivery_id: string; task_id: number; event: string; url: string },
    owner: string,
    attempts: number,
    error: string,
  ): Promise<boolean> {
    return await this.#record(delivery.task_id, async (trx, appends) => {
      if (!(await failWebhookDelivery(trx, delivery.id, owner, error))) return false;
      appends.event(
        delivery.task_id,
        taskEvent("webhook.failed", {
          delivery_id: delivery.delivery_id,
          event: delivery.event,
          url: delivery.url,
          attempts,
          error,
        }),
      );
      return true;
    }, false);
  }

  // Waiting for a person (issue 15: plan approval, agents' questions, queued tasks): written
  // in human_waits.ts over this lifecycle's core; callers ask the lifecycle, as for all else.
  readonly askForInput: HumanWaits["askForInput"] = (...a) => this.#waits.askForInput(...a);
  readonly waitForInput: HumanWaits["waitForInput"] = (...a) => this.#waits.waitForInput(...a);
  readonly answer: HumanWaits["answer"] = (...a) => this.#waits.answer(...a);
  readonly approve: HumanWaits["approve"] = (...a) => this.#waits.approve(...a);
  readonly reject: HumanWaits["reject"] = (...a) => this.#waits.reject(...a);
  readonly dequeue: HumanWaits["dequeue"] = (...a) => this.#waits.dequeue(...a);

  #completed(
    appends: BatchAppends,
    taskId: number,
    task: Pick<Task, "session_id">,
    completion: TaskCompletion,
  ): void {
    const { result } = completion;
    appends.message({
      session_id: task.session_id,
      role: "assistant",
      content: String(result.summary),
      task_id: taskId,
      metadata: { insights: result.insights ?? [] },
    });
    appends.event(taskId, taskEvent("task.completed", { status: "completed", result }));
  }

  /**
   * A change and its events in one transaction, announced once written; false if declined.
   * `status`: false for a change that leaves the task's status as it was.
   */
  async #record(
    taskId: number,
    write: Write<boolean>,
    status = true,
  ): Promise<boolean> {
    const written = await this.#writes.run(write);
    if (written) this.#announce(taskId, status);
    return written;
  }

  /** The task's log grew; with `status`, its status may have changed too. */
  #announce(taskId: number, status = true): void {
    this.#notifier.publish("task_events", String(taskId));
    if (status) this.#notifier.publish("task_status", String(taskId));
  }
}
