/**
 * Ends the waits nobody else ends: a plan awaiting approval past `APPROVAL_TIMEOUT_MS` is
 * cancelled with that reason, and a queued task whose session's earlier tasks have all ended
 * is planned (their answers in view) and let go. Any process may run it, several at once: each
 * change is guarded by the task's status, so only one of them makes it.
 */
import { meterUsage } from "@app/lib/usage";
import { usageRows } from "./usage_rows.ts";
import type { Kysely } from "kysely";
import {
  type Agent,
  type Database,
  isoNow,
  type JsonObject,
  listMessages,
  type PlannedStep,
  type Task,
  waits,
} from "@app/db";
import type { Logger } from "@app/lib";
import type { TaskLifecycle } from "./lifecycle/lifecycle.ts";
import type { Notifier } from "./notifier.ts";
import type { Plan } from "./plan.ts";
import type { Planner } from "./planner.ts";

export interface WaitSweeperOptions {
  db: Kysely<Database>;
  lifecycle: TaskLifecycle;
  planner: Planner;
  agents: () => Promise<Agent[]>;
  notifier: Notifier;
  logger: Logger;
  approvalTimeoutMs: number;
  /** How often it looks (default: a quarter of the timeout, between 50 ms and 1 s). */
  intervalMs?: number;
}

/** How many of a session's last messages the planner sees (as at submit). */
const PLANNER_TURNS = 6;

export class WaitSweeper {
  readonly #o: WaitSweeperOptions;
  #timer: ReturnType<typeof setInterval> | undefined;
  #unsubscribe: (() => void) | undefined;
  #sweeping: Promise<void> | undefined;
  #again = false;
  #soon: ReturnType<typeof setTimeout> | undefined;
  /** Queued tasks were seen: a task's end may be their turn, so look at once. */
  #queueSeen = true;

  constructor(options: WaitSweeperOptions) {
    this.#o = options;
  }

  start(): void {
    if (this.#timer) return;
    const every = this.#o.intervalMs ??
      Math.min(1_000, Math.max(50, Math.floor(this.#o.approvalTimeoutMs / 4)));
    this.#timer = setInterval(() => this.sweep(), every);
    // A task's end may be a queued one's turn: look soon (at most every 50 ms, however many
    // events arrive), but only while tasks are queued at all.
    this.#unsubscribe = this.#o.notifier.subscribe("task_status", () => {
      if (!this.#queueSeen || this.#soon) return;
      this.#soon = setTimeout(() => {
        this.#soon = undefined;
        if (this.#timer) this.sweep();
      }, 50);
    });
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    clearTimeout(this.#soon);
    this.#timer = undefined;
    this.#unsubscribe?.();
    await this.#sweeping;
  }

  /** One look (coalesced: a call during a sweep makes one more after it). */
  sweep(): Promise<void> {
    if (this.#sweeping) {
      this.#again = true;
      return this.#sweeping;
    }
    this.#sweeping = (async () => {
      do {
        this.#again = false;
        try {
          await this.#expireApprovals();
          await this.#dequeue();
        } catch (error) {
          this.#o.logger.warn("sweeping waiting tasks failed", { error: String(error) });
        }
      } while (this.#again && this.#timer);
    })().finally(() => (this.#sweeping = undefined));
    return this.#sweeping;
  }

  async #expireApprovals(): Promise<void> {
    const { db, lifecycle, approvalTimeoutMs } = this.#o;
    const before = isoNow(new Date(Date.now() - approvalTimeoutMs));
    const reason = `nobody approved the plan within APPROVAL_TIMEOUT_MS (${approvalTimeoutMs} ms)`;
    for (const task of await waits.overdueApprovals(db, before)) {
      if (await lifecycle.reject(task, reason, { actor: "system", expired: true })) {
        this.#o.logger.info("plan approval timed out", { task_id: task.id });
      }
    }
  }

  async #dequeue(): Promise<void> {
    const { db } = this.#o;
    this.#queueSeen = await waits.hasQueuedTasks(db);
    if (!this.#queueSeen) return;
    for (const task of await waits.dequeueableTasks(db)) await this.#release(task);
  }

  /** Plans a queued task now, with the answers its session has since, and lets it go. */
  async #release(task: Task): Promise<void> {
    const { db, planner, lifecycle } = this.#o;
    const earlier = (await listMessages(db, task.session_id, { last: PLANNER_TURNS + 1 }))
      .filter((m) => !(m.task_id === task.id && m.role === "user"))
      .slice(-PLANNER_TURNS)
      .map((m) => ({ role: m.role, content: m.content }));
    const { value: { plan }, usage } = await meterUsage(async () =>
      planner.plan(task.description, await this.#o.agents(), [
        ...earlier,
        { role: "user", content: task.description },
      ])
    );
    const needsApproval = (task.plan as { require_approval?: boolean }).require_approval === true;
    const released = await lifecycle.dequeue(
      task.id,
      needsApproval ? "awaiting_approval" : "pending",
      {
        plan: plan as unknown as JsonObject,
        steps: plannedSteps(plan),
        usage: usageRows(lifecycle.prices, usage, { step_number: null, agent: null }),
      },
    );
    if (released) this.#o.logger.info("queued task released", { task_id: task.id });
  }
}

export function plannedSteps(plan: Plan): PlannedStep[] {
  return plan.steps.map((s) => ({
    step_number: s.step_number,
    description: s.description,
    capability: s.capability,
    agent_id: s.agent_id,
    agent_name: s.agent_name,
    dependencies: s.dependencies,
  }));
}
