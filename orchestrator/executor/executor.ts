/**
 * The durable executor's dispatch: a fixed number of slots, filled by tasks this process
 * accepts (`admit`: stored already leased here, run at once) and by tasks claimed from the
 * database (new ones, and those whose owner's lease expired). Each task runs its step graph
 * under a lease kept alive while it runs; a step is started and finished only under that
 * lease, so none completes twice.
 */
import type { Kysely } from "kysely";
import type { Agent, Database, InitialLease, Task, WriteBatcher } from "@app/db";
import type { Logger } from "@app/lib";
import type { AgentClient } from "../agent_client.ts";
import { TaskLifecycle } from "../lifecycle/lifecycle.ts";
import type { Metrics } from "../metrics.ts";
import type { Notifier } from "../notifier.ts";
import { Cancelled, interruptsRun, LeaseLost } from "./errors.ts";
import { keepLease } from "./lease_keeper.ts";
import { runTaskGraph, type TaskRun, type TaskRunDeps } from "./task_run.ts";

export interface ExecutorOptions {
  db: Kysely<Database>;
  agentClient: AgentClient;
  notifier: Notifier;
  logger: Logger;
  metrics: Metrics;
  /** Group commit for step and task state changes. */
  writes: WriteBatcher;
  /** The lifecycle to record through (default: one over `db`, `writes` and `notifier`). */
  lifecycle?: TaskLifecycle;
  /** The registered agents (a short-lived cache). */
  agents: () => Promise<Agent[]>;
  /** This process's name on leases. */
  owner?: string;
  /** Tasks run at once by this process. */
  concurrency?: number;
  /** Steps of one task run at once. */
  stepConcurrency?: number;
  leaseMs?: number;
  stepTimeoutMs?: number;
  maxRetries?: number;
  retryBaseMs?: number;
  /** How often an idle executor looks for expired leases (new work wakes it at once). */
  idlePollMs?: number;
  historyMessages?: number;
}

/** How a task accepted here starts: leased to this process, with its first steps running. */
export interface AdmitStart {
  lease: InitialLease;
  /** The steps stored as running: those without dependencies, as many as may run at once. */
  firstSteps: Set<number>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class Executor {
  readonly owner: string;
  readonly lifecycle: TaskLifecycle;
  readonly #o: Required<Omit<ExecutorOptions, "owner" | "lifecycle">>;
  readonly #run: TaskRunDeps;
  readonly #running = new Map<number, { abort: AbortController; done: Promise<void> }>();
  /** Slots promised to tasks being admitted (stored leased here, not yet running). */
  #admitting = 0;
  /** Slots a claim in flight may fill. */
  #claiming = 0;
  #stopped = true;
  /** Tasks may be waiting to be claimed (a wake said so, or a claim filled every slot). */
  #workAvailable = true;
  /** Wakes so far: a wake during a claim must not be forgotten when the claim comes back short. */
  #wakes = 0;
  /** When this executor last claimed; it looks again at least every `idlePollMs`. */
  #claimedAt = -Infinity;
  /** When this executor last looked for tasks whose lease expired. */
  #expiredScanAt = -Infinity;
  #wake: (() => void) | undefined;
  #loop: Promise<void> | undefined;
  #unsubscribe: (() => void)[] = [];

  constructor(options: ExecutorOptions) {
    this.owner = options.owner ??
      `orch-${Deno.hostname?.() ?? "host"}-${Deno.pid}-${crypto.randomUUID().slice(0, 6)}`;
    this.lifecycle = options.lifecycle ?? new TaskLifecycle(options);
    this.#o = {
      concurrency: 64,
      stepConcurrency: 4,
      leaseMs: 30_000,
      stepTimeoutMs: 120_000,
      maxRetries: 2,
      retryBaseMs: 200,
      idlePollMs: 1_000,
      historyMessages: 10,
      ...options,
    } as Required<Omit<ExecutorOptions, "owner" | "lifecycle">>;
    const o = this.#o;
    this.#run = {
      db: o.db,
      lifecycle: this.lifecycle,
      agentClient: o.agentClient,
      metrics: o.metrics,
      agents: o.agents,
      owner: this.owner,
      stepConcurrency: o.stepConcurrency,
      historyMessages: o.historyMessages,
      settings: {
        stepTimeoutMs: o.stepTimeoutMs,
        maxRetries: o.maxRetries,
        retryBaseMs: o.retryBaseMs,
      },
    };
  }

  get runningTaskIds(): number[] {
    return [...this.#running.keys()];
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#unsubscribe.push(
      this.#o.notifier.subscribe("task_queue", () => this.wake()),
      this.#o.notifier.subscribe(
        "task_cancel",
        (id) => this.#running.get(Number(id))?.abort.abort(new Cancelled()),
      ),
    );
    this.#loop = this.#dispatch();
  }

  /** Something may be claimable: look now instead of at the next idle poll. */
  wake(): void {
    this.#workAvailable = true;
    this.#wakes++;
    this.#wake?.();
  }

  /**
   * Stops claiming, aborts running tasks and hands their leases back at once, so another
   * process (or this one, restarted) takes them over without waiting for expiry.
   */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const fn of this.#unsubscribe) fn();
    this.#unsubscribe = [];
    this.#wake?.();
    await this.#loop;
    const running = [...this.#running.entries()];
    for (const [, run] of running) run.abort.abort(new LeaseLost("shutting down"));
    await Promise.allSettled(running.map(([, run]) => run.done));
    await Promise.allSettled(
      running.map(([taskId]) => this.lifecycle.releaseLease({ taskId, owner: this.owner })),
    );
  }

  /**
   * Stores a task this process accepts through `store`. With a free slot, `store` gets a
   * lease (the task is stored leased here and runs at once, with no claim and no read-back);
   * without one, it gets none and the task waits in the database to be claimed.
   */
  async admit(
    plannedSteps: { step_number: number; dependencies: number[] }[],
    store: (start: AdmitStart | undefined) => Promise<TaskRun>,
  ): Promise<TaskRun> {
    if (this.#stopped || this.#busy() >= this.#o.concurrency) return await store(undefined);
    this.#admitting++;
    let run: TaskRun;
    try {
      run = await store({
        lease: { owner: this.owner, leaseMs: this.#o.leaseMs },
        // In step order, the order in which a run starts ready steps.
        firstSteps: new Set(
          plannedSteps.filter((s) => !s.dependencies.length).map((s) => s.step_number)
            .sort((a, b) => a - b).slice(0, this.#o.stepConcurrency),
        ),
      });
    } finally {
      this.#admitting--;
      this.#wake?.();
    }
    if (run.task.lease_owner !== this.owner) return run;
    if (this.#stopped) {
      // Stopped while it was being stored: hand it back like the running ones (if the
      // database is already closed, the lease simply expires and it is claimed then).
      this.lifecycle.releaseLease({ taskId: run.task.id, owner: this.owner }).catch(() => {});
    } else {
      this.#launch(run);
    }
    return run;
  }

  /** Slots taken: running tasks, admissions and a claim in flight. */
  #busy(): number {
    return this.#running.size + this.#admitting + this.#claiming;
  }

  #launch(run: TaskRun): void {
    const id = run.task.id;
    const abort = new AbortController();
    const done = this.#runTask(run, abort).catch((error) =>
      this.#o.logger.error("task run crashed", { task_id: id, error: String(error) })
    ).finally(() => {
      this.#running.delete(id);
      // A free slot: the loop takes more only if tasks may be waiting (`#workAvailable`).
      this.#wake?.();
    });
    this.#running.set(id, { abort, done });
  }

  async #runTask(run: TaskRun, abort: AbortController): Promise<void> {
    const { task } = run;
    const log = this.#o.logger.child({ task_id: task.id });
    const lease = { taskId: task.id, owner: this.owner };
    const stopRenewing = keepLease(this.lifecycle, lease, this.#o.leaseMs, abort, log);
    try {
      if (task.attempts > 1) {
        // Taken again: its previous owner's lease expired, or it waited on a person (an answer).
        log.info("resuming task", { attempts: task.attempts });
      }
      await runTaskGraph(this.#run, run, abort.signal);
    } catch (error) {
      if (interruptsRun(error) || abort.signal.reason instanceof LeaseLost) {
        log.warn("stopped running task; it resumes when its lease is free", {
          reason: String(abort.signal.reason?.message ?? (error as Error)?.message ?? error),
        });
        return;
      }
      throw error;
    } finally {
      stopRenewing();
    }
  }

  async #dispatch(): Promise<void> {
    const { leaseMs, concurrency, logger } = this.#o;
    while (!this.#stopped) {
      // Tasks whose owner died come back unannounced (their leases just expire), so a
      // claim is due at least every `idlePollMs`, however often the loop is woken meanwhile.
      const lookAgainIn = this.#claimedAt + this.#o.idlePollMs - performance.now();
      if (lookAgainIn <= 0) this.#workAvailable = true;
      if (this.#busy() >= concurrency || !this.#workAvailable) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        await new Promise<void>((resolve) => {
          this.#wake = resolve;
          if (this.#busy() < concurrency) timer = setTimeout(resolve, Math.max(lookAgainIn, 0));
        });
        clearTimeout(timer);
        this.#wake = undefined;
        continue;
      }
      // A claim holds the slots it may fill until it returns, so it takes half of the free
      // ones: the rest stay open to tasks submitted meanwhile, which would otherwise all go
      // the slower way (stored pending, then claimed) whenever a claim is out.
      const slots = Math.max(1, Math.floor((concurrency - this.#busy()) / 2));
      const wakes = this.#wakes;
      this.#claimedAt = performance.now();
      // Expired leases cost a scan to find, so a busy executor looks for them now and then.
      const expired = performance.now() - this.#expiredScanAt >= this.#o.idlePollMs;
      if (expired) this.#expiredScanAt = performance.now();
      let claimed: Task[];
      this.#claiming = slots;
      try {
        claimed = await this.lifecycle.claim(this.owner, leaseMs, slots, { expired });
      } catch (error) {
        logger.warn("claiming tasks failed; retrying", { error: String(error) });
        await sleep(500);
        continue;
      } finally {
        this.#claiming = 0;
      }
      // Fewer than asked for: nothing else is waiting until someone says so (`wake`), unless
      // someone did while the claim was out.
      if (claimed.length < slots && this.#wakes === wakes) this.#workAvailable = false;
      // A task claimed a second time was taken over from a worker whose lease ran out.
      this.#o.metrics.leaseTakeovers(claimed.filter((t) => t.attempts > 1).length);
      for (const task of claimed) {
        // Our own lease ran out (a stalled renewal) and we claimed the task back: it is
        // still running here, and the claim has just renewed its lease.
        if (this.#running.has(task.id)) continue;
        this.#launch({ task });
      }
    }
  }
}
