/**
 * A person's commands on a task from outside its run: cancel it wherever it runs, or run a
 * failed or cancelled one again from where it stopped. Part of the task lifecycle, which
 * builds it over its core (lifecycle_core.ts) and is the one entry callers use.
 */
import { getTask, type Task, transitions } from "@app/db";
import { taskEvent } from "@app/lib";
import type { LifecycleCore } from "./lifecycle_core.ts";

export class CancelAndRetry {
  readonly #core: LifecycleCore;

  constructor(core: LifecycleCore) {
    this.#core = core;
  }

  /**
   * Cancels a task that has not finished, wherever it runs: its unfinished steps are cancelled
   * and its lease cleared with it (so its worker's next write is refused), `task.cancelled`
   * written last; then the worker is told to abort its agent calls. The task as it is after,
   * or undefined when there is no such task. `actor` is who asked (named in the event).
   */
  async cancel(taskId: number, actor?: string): Promise<Task | undefined> {
    const cancelled = await this.#core.record(taskId, async (trx, appends) => {
      if (!(await transitions.cancelTask(trx, taskId))) return false;
      for (const stepNumber of await transitions.cancelUnfinishedSteps(trx, taskId)) {
        appends.event(taskId, taskEvent("step.cancelled", { step_number: stepNumber }));
      }
      appends.event(
        taskId,
        taskEvent("task.cancelled", {
          status: "cancelled",
          ...(actor !== undefined && { actor }),
        }),
      );
      return true;
    });
    if (cancelled) this.#core.notifier.publish("task_cancel", String(taskId));
    return await getTask(this.#core.db, taskId);
  }

  /**
   * Runs a failed or cancelled task again from where it stopped: the task goes back to the
   * queue (`pending`, no lease), its failed, skipped and cancelled steps to `pending`, and
   * `task.retried` names them; completed steps keep their output and are not run again (the
   * executor's run reads them). The task after, or undefined when there is none; `retried`
   * is false when it was not in a state to retry.
   */
  async retry(
    taskId: number,
    actor?: string,
  ): Promise<{ task: Task | undefined; retried: boolean }> {
    const retried = await this.#core.record(taskId, async (trx, appends) => {
      if (!(await transitions.retryTask(trx, taskId))) return false;
      const steps = await transitions.retryUnfinishedSteps(trx, taskId);
      appends.event(
        taskId,
        taskEvent("task.retried", {
          status: "pending",
          steps,
          ...(actor !== undefined && { actor }),
        }),
      );
      return true;
    });
    if (retried) this.#core.notifier.publish("task_queue");
    return { task: await getTask(this.#core.db, taskId), retried };
  }
}
