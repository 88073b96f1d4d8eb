/**
 * Waiting for a person (issue 15): plan approval, agents' questions, queued tasks. Part of the
 * task lifecycle, which builds it over its core (lifecycle_core.ts) and is the one entry
 * callers use. A waiting task holds no lease; what ends the wait makes it claimable by
 * any process.
 */
import type { Transaction } from "kysely";
import {
  type Agent,
  type BatchAppends,
  type Database,
  getTask,
  insertUsage,
  type JsonObject,
  type Lease,
  type PlannedStep,
  type StepQuestion,
  type Task,
  transitions,
  type UsageRow,
  waits,
} from "@app/db";
import { taskEvent } from "@app/lib";
import type { LifecycleCore } from "./lifecycle_core.ts";

export class HumanWaits {
  readonly #core: LifecycleCore;

  constructor(core: LifecycleCore) {
    this.#core = core;
  }

  /**
   * A running step's agent asked a question: the step waits with it (and the agent's A2A
   * task), the question joins the session as the agent's message. With `park` (nothing else
   * runs), the task waits too and hands its lease back, in the same write.
   */
  async askForInput(
    lease: Lease,
    task: Pick<Task, "session_id">,
    stepNumber: number,
    agent: Pick<Agent, "id" | "name">,
    asked: StepQuestion & { kind: "input" | "auth" },
    park: boolean,
  ): Promise<{ asked: boolean; parked: boolean }> {
    const outcome = await this.#core.writes.run(async (trx, appends) => {
      const { kind, question, agent_task_id, agent_context_id, answered } = asked;
      const done = await waits.askForInput(trx, lease, stepNumber, {
        question,
        agent_task_id,
        agent_context_id,
        answered,
        agent_id: agent.id,
        agent_name: agent.name,
      });
      if (!done) return { asked: false, parked: false };
      appends.event(
        lease.taskId,
        taskEvent("step.input_required", {
          step_number: stepNumber,
          agent_id: agent.id,
          agent_name: agent.name,
          question: asked.question,
          kind,
        }),
      );
      appends.message({
        session_id: task.session_id,
        role: "agent",
        content: asked.question,
        task_id: lease.taskId,
        metadata: { step_number: stepNumber, agent_name: agent.name, question: true, kind },
      });
      const parked = park ? await this.#park(trx, appends, lease) : false;
      return { asked: true, parked };
    });
    if (outcome.asked) this.#core.announce(lease.taskId);
    return outcome;
  }

  /** Every step that could run waits for an answer: the task waits, its lease handed back. */
  waitForInput(lease: Lease): Promise<boolean> {
    return this.#core.record(lease.taskId, (trx, appends) => this.#park(trx, appends, lease));
  }

  async #park(trx: Transaction<Database>, appends: BatchAppends, lease: Lease) {
    const steps = await waits.waitForInput(trx, lease);
    if (!steps) return false;
    appends.event(
      lease.taskId,
      taskEvent("task.input_required", { status: "input_required", steps }),
    );
    return true;
  }

  /**
   * A person's answer to a waiting step: kept with the step (sent to the agent when the task
   * is next claimed, by any process), added to the session as the user's message. False when
   * the task or that step was not waiting.
   */
  async answer(
    task: Pick<Task, "id" | "session_id">,
    stepNumber: number,
    text: string,
    actor?: string,
  ): Promise<boolean> {
    const answered = await this.#core.record(task.id, async (trx, appends) => {
      if (!(await waits.answerStep(trx, task.id, stepNumber, text))) return false;
      appends.event(
        task.id,
        taskEvent("step.input_received", { step_number: stepNumber, text, actor }),
      );
      appends.message({
        session_id: task.session_id,
        role: "user",
        content: text,
        task_id: task.id,
        metadata: { step_number: stepNumber, answer: true },
      });
      return true;
    });
    if (answered) this.#core.notifier.publish("task_queue");
    return answered;
  }

  /**
   * Approves a plan awaiting approval (an edited one replaces it and its steps): any process
   * may claim the task now. False when it was not awaiting approval.
   */
  async approve(
    taskId: number,
    approved: { plan: JsonObject; steps?: PlannedStep[] },
    actor?: string,
  ): Promise<boolean> {
    const edited = approved.steps !== undefined;
    const done = await this.#core.record(taskId, async (trx, appends) => {
      const ok = await waits.approvePlan(
        trx,
        taskId,
        edited ? { plan: approved.plan, steps: approved.steps! } : undefined,
      );
      if (ok) {
        appends.event(taskId, taskEvent("plan.approved", { edited, plan: approved.plan, actor }));
      }
      return ok;
    });
    if (done) this.#core.notifier.publish("task_queue");
    return done;
  }

  /**
   * Ends a plan awaiting approval as cancelled with `reason` (a person's rejection, or
   * `expired`: nobody decided in time). False when it was not awaiting approval.
   */
  reject(
    task: Pick<Task, "id" | "session_id">,
    reason: string,
    options: { actor?: string; expired?: boolean } = {},
  ): Promise<boolean> {
    const { actor } = options;
    return this.#core.record(task.id, async (trx, appends) => {
      if (!(await waits.rejectPlan(trx, task.id, reason))) return false;
      if (!options.expired) appends.event(task.id, taskEvent("plan.rejected", { reason, actor }));
      for (const stepNumber of await transitions.cancelUnfinishedSteps(trx, task.id)) {
        appends.event(task.id, taskEvent("step.cancelled", { step_number: stepNumber }));
      }
      appends.message({
        session_id: task.session_id,
        role: "assistant",
        content: options.expired ? reason : `The plan was rejected: ${reason}`,
        task_id: task.id,
      });
      appends.event(
        task.id,
        taskEvent("task.cancelled", { status: "cancelled", reason, ...(actor && { actor }) }),
      );
      return true;
    });
  }

  /**
   * A queued task's turn: its new plan replaces the provisional one; it becomes claimable or,
   * needing approval, awaits it. False when it was no longer queued.
   */
  async dequeue(
    taskId: number,
    to: "pending" | "awaiting_approval",
    planned: { plan: JsonObject; steps: PlannedStep[]; usage?: UsageRow[] },
  ): Promise<boolean> {
    const done = await this.#core.record(taskId, async (trx, appends) => {
      if (!(await waits.dequeueTask(trx, taskId, to, planned))) return false;
      // Its planning, made now, is the task's own usage.
      if (planned.usage?.length) {
        const task = await getTask(trx, taskId);
        if (task) await insertUsage(trx, task, planned.usage);
      }
      appends.event(taskId, taskEvent("task.dequeued", { status: to, plan: planned.plan }));
      if (to === "awaiting_approval") {
        appends.event(
          taskId,
          taskEvent("plan.proposed", { status: "awaiting_approval", plan: planned.plan }),
        );
      }
      return true;
    });
    if (done && to === "pending") this.#core.notifier.publish("task_queue");
    return done;
  }
}
