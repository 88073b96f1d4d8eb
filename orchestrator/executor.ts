/**
 * The durable executor. Tasks wait in the database; workers claim them with a lease, renew it
 * while they run, and run the plan's steps as a DAG with bounded parallelism. A task whose
 * owner died is claimed again when its lease expires, and its completed steps are kept: a step
 * is started and finished only under a held lease, so none completes twice.
 */
import type { Kysely, Transaction } from "kysely";
import {
  addMessage,
  type Agent,
  appendEvent,
  type BatchAppends,
  claimTasks,
  completeStepAndTask,
  completeTask,
  type Database,
  getTask,
  getTaskSteps,
  type InitialLease,
  isoNow,
  type JsonObject,
  listMessages,
  releaseLease,
  renewLease,
  startStep,
  type Task,
  type TaskStep,
  updateStep,
  updateTask,
  type WriteBatcher,
} from "@app/db";
import { type Logger, type NewTaskEvent, taskEvent } from "@app/lib";
import { AgentCallError, type AgentClient } from "./agent_client.ts";
import { deadline } from "./deadline.ts";
import type { Metrics } from "./metrics.ts";
import type { Notifier } from "./notifier.ts";
import { buildResult } from "./result.ts";

export interface ExecutorOptions {
  db: Kysely<Database>;
  agentClient: AgentClient;
  notifier: Notifier;
  logger: Logger;
  metrics: Metrics;
  /** Group commit for step and task state changes. */
  writes: WriteBatcher;
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

class Cancelled extends Error {}
class LeaseLost extends Error {}
/**
 * A step's outcome could not be written (the database failed). Not the agent's fault, and
 * not the task's: this run stops and the task is resumed once its lease expires.
 */
class ProgressNotRecorded extends Error {}

/** The conversation an agent sees with its step. */
type History = { role: string; content: string }[];

/** What a task's submitter already knows, so a task taken at once is not read back. */
export interface AdoptedTask {
  task: Task;
  /** Its steps; those stored as running (see `initialSteps`) have started already. */
  steps: TaskStep[];
  /** The session's recent messages, when the submitter knows them (a new session). */
  history?: History;
}

/** A step's `input_data`: what it was started with, for the API and the UI. */
export function stepInput(
  step: Pick<TaskStep, "description" | "capability">,
  dependencies: Record<string, JsonObject>,
  historyMessages: number,
): JsonObject {
  return {
    description: step.description,
    capability: step.capability,
    dependencies,
    history_messages: historyMessages,
  };
}

/** A task's steps as they run: what is done, what runs, and whether the task is finished. */
interface StepProgress {
  steps: TaskStep[];
  outputs: Map<number, JsonObject>;
  inFlight: Map<number, Promise<void>>;
  failed: boolean;
  /** Set once the last step's write has also completed the task (or found it cancelled). */
  taskCompleted: boolean;
}

/** A task to run: adopted (with what its submitter knew) or claimed (read as it starts). */
type TaskRun = { task: Task } & Partial<Omit<AdoptedTask, "task">>;

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });

export class Executor {
  readonly owner: string;
  readonly #o: Required<Omit<ExecutorOptions, "owner">>;
  readonly #running = new Map<number, { abort: AbortController; done: Promise<void> }>();
  /** Slots promised to tasks being submitted in this process (see `reserve`). */
  #reserved = 0;
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
    } as Required<Omit<ExecutorOptions, "owner">>;
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
        (id) => this.#abortTask(Number(id), new Cancelled()),
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
      running.map(([id]) => releaseLease(this.#o.db, id, this.owner)),
    );
    // Handed back: other processes may take them now.
    if (running.length) this.#o.notifier.publish("task_queue");
  }

  /** Slots taken: running tasks, reservations and a claim in flight. */
  #busy(): number {
    return this.#running.size + this.#reserved + this.#claiming;
  }

  /**
   * A free slot for a task this process is submitting: the task is inserted already leased
   * to this executor and handed over with `adopt`, with no claim query and no read-back.
   * Undefined when the executor is stopped or full (the task then waits to be claimed).
   * Every lease returned must be followed by `adopt` or `unreserve`.
   */
  reserve(): InitialLease | undefined {
    if (this.#stopped || this.#busy() >= this.#o.concurrency) return undefined;
    this.#reserved++;
    return { owner: this.owner, leaseMs: this.#o.leaseMs };
  }

  /**
   * The steps a task taken at submit starts with, so they are stored as running in the same
   * write: those without dependencies, as many as may run at once.
   */
  initialSteps(steps: { step_number: number; dependencies: number[] }[]): Set<number> {
    // In step order, the order in which the executor starts ready steps.
    return new Set(
      steps.filter((s) => !s.dependencies.length).map((s) => s.step_number)
        .sort((a, b) => a - b).slice(0, this.#o.stepConcurrency),
    );
  }

  /** Gives back a reserved slot whose task was not stored. */
  unreserve(): void {
    this.#reserved--;
    this.#wake?.();
  }

  /** Runs a task inserted under a lease from `reserve`. */
  adopt(adopted: AdoptedTask): void {
    this.#reserved--;
    this.#o.notifier.publish("task_events", String(adopted.task.id));
    if (this.#stopped) {
      // Stopped while it was being stored: hand it back like the running ones (if the
      // database is already closed, the lease simply expires and it is claimed then).
      releaseLease(this.#o.db, adopted.task.id, this.owner)
        .then(() => this.#o.notifier.publish("task_queue"), () => {});
      return;
    }
    this.#launch(adopted);
  }

  #launch(adopted: TaskRun): void {
    const id = adopted.task.id;
    const abort = new AbortController();
    const done = this.#runTask(adopted, abort).catch((error) =>
      this.#o.logger.error("task run crashed", { task_id: id, error: String(error) })
    ).finally(() => {
      this.#running.delete(id);
      // A free slot: the loop takes more only if tasks may be waiting (`#workAvailable`).
      this.#wake?.();
    });
    this.#running.set(id, { abort, done });
  }

  #abortTask(taskId: number, reason: Error): void {
    this.#running.get(taskId)?.abort.abort(reason);
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
        // Claim as many as there are free slots, with the first events, in one commit.
        claimed = await this.#o.writes.run(async (trx, appends) => {
          const tasks = await claimTasks(trx, this.owner, leaseMs, slots, { expired });
          for (const task of tasks) {
            appends.event(
              task.id,
              taskEvent(task.attempts === 1 ? "task.started" : "task.resumed", {
                status: "executing",
                owner: this.owner,
                attempt: task.attempts,
              }),
            );
          }
          return tasks;
        });
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
      for (const task of claimed) {
        this.#o.notifier.publish("task_events", String(task.id));
        // Our own lease ran out (a stalled renewal) and we claimed the task back: it is
        // still running here, and the claim has just renewed its lease.
        if (this.#running.has(task.id)) continue;
        this.#launch({ task });
      }
    }
  }

  async #event(taskId: number, event: NewTaskEvent): Promise<void> {
    await this.#o.writes.run((_trx, appends) => Promise.resolve(appends.event(taskId, event)));
    this.#o.notifier.publish("task_events", String(taskId));
  }

  /**
   * A state change and the events that report it, in one transaction of the write batch (a
   * reader never sees the state without its event), announced once written. `write` returns
   * false when the change was declined (the lease was lost, say); so does this.
   */
  async #record(
    taskId: number,
    write: (trx: Transaction<Database>, appends: BatchAppends) => Promise<boolean>,
  ): Promise<boolean> {
    const written = await this.#o.writes.run(write);
    if (written) this.#o.notifier.publish("task_events", String(taskId));
    return written;
  }

  async #runTask(adopted: TaskRun, abort: AbortController): Promise<void> {
    const { db, leaseMs, logger } = this.#o;
    const claimed = adopted.task;
    const log = logger.child({ task_id: claimed.id });
    const renewal = setInterval(async () => {
      try {
        if (!(await renewLease(db, claimed.id, this.owner, leaseMs))) {
          abort.abort(new LeaseLost("lease lost"));
        }
      } catch (error) {
        log.warn("lease renewal failed", { error: String(error) });
      }
    }, Math.max(50, Math.floor(leaseMs / 3)));
    try {
      const task = claimed;
      if (task.attempts > 1) {
        log.info("resuming task after an expired lease", { attempts: task.attempts });
      }
      await this.#runSteps(adopted, abort.signal);
    } catch (error) {
      if (
        error instanceof LeaseLost || error instanceof ProgressNotRecorded ||
        abort.signal.reason instanceof LeaseLost
      ) {
        log.warn("stopped running task; it resumes when its lease is free", {
          reason: String(abort.signal.reason?.message ?? error),
        });
        return;
      }
      throw error;
    } finally {
      clearInterval(renewal);
    }
  }

  async #runSteps(adopted: TaskRun, signal: AbortSignal): Promise<void> {
    const { db, stepConcurrency } = this.#o;
    const { task } = adopted;
    const steps = adopted.steps ?? await getTaskSteps(db, task.id);
    // Read once per task: its own steps add nothing to the conversation until it finishes.
    const history = adopted.history ??
      (await listMessages(db, task.session_id, { last: this.#o.historyMessages }))
        .map((m) => ({ role: m.role, content: m.content }));
    const outputs = new Map<number, JsonObject>();
    for (const step of steps) {
      if (step.status === "completed") outputs.set(step.step_number, step.output_data);
    }
    // Steps stored as running by this task's submitter, for this process: started already.
    const preStarted = new Set(
      adopted.steps ? steps.filter((s) => s.status === "running").map((s) => s.step_number) : [],
    );
    const remaining = steps.filter((s) => s.status !== "completed");
    const inFlight = new Map<number, Promise<void>>();
    let failure: { step: number; error: string } | undefined;
    /** This run cannot go on (lease lost, progress not written): stop, neither fail nor retry. */
    let interrupted: Error | undefined;
    const progress: StepProgress = {
      steps,
      outputs,
      inFlight,
      get failed() {
        return failure !== undefined;
      },
      taskCompleted: false,
    };

    while (!failure && !interrupted && !signal.aborted) {
      const ready = remaining.filter((s) =>
        !inFlight.has(s.step_number) && !outputs.has(s.step_number) &&
        s.dependencies.every((d) => outputs.has(d))
      );
      for (const step of ready.slice(0, stepConcurrency - inFlight.size)) {
        const started = preStarted.delete(step.step_number);
        const run = this.#runStep(task, step, progress, history, started, signal).then(
          (output) => {
            outputs.set(step.step_number, output);
          },
          (error) => {
            if (error instanceof LeaseLost || error instanceof ProgressNotRecorded) {
              interrupted ??= error;
            } else if (!(error instanceof Cancelled) && !signal.aborted) {
              failure ??= { step: step.step_number, error: error.message ?? String(error) };
            }
          },
        ).finally(() => inFlight.delete(step.step_number));
        inFlight.set(step.step_number, run);
      }
      if (!inFlight.size) break;
      await Promise.race(inFlight.values());
    }
    await Promise.allSettled(inFlight.values());

    if (signal.aborted) {
      // The database decides: a cancel signal for a task that is not cancelled there is not
      // ours to act on, and the lease renewal may notice a real cancellation first.
      const now = await getTask(db, task.id);
      if (now?.status === "cancelled") {
        await this.#finishCancelled(task);
        return;
      }
      throw signal.reason;
    }
    if (interrupted) throw interrupted;
    if (!failure && outputs.size < steps.length) {
      failure = {
        step: 0,
        error: "some steps could not start: their dependencies never completed",
      };
    }
    if (failure) await this.#finishFailed(task, failure);
    else if (!progress.taskCompleted) {
      const completion = this.#completion(task, progress);
      await this.#record(task.id, async (trx, appends) => {
        if (!(await completeTask(trx, task.id, this.owner, completion.result))) return false;
        completion.record(appends);
        return true;
      });
    }
  }

  /** A task's completion, once every step has an output: its result and what to record. */
  #completion(task: Task, progress: StepProgress, finishing?: [number, JsonObject]) {
    const outputs = new Map(progress.outputs);
    if (finishing) outputs.set(...finishing);
    const result = buildResult(progress.steps.map((s) => ({
      ...s,
      status: "completed" as const,
      output_data: outputs.get(s.step_number)!,
    })));
    return {
      result,
      /** Once the task's row is completed: the assistant's answer in the session, the event. */
      record: (appends: BatchAppends) => {
        appends.message({
          session_id: task.session_id,
          role: "assistant",
          content: String(result.summary),
          task_id: task.id,
          metadata: { insights: result.insights ?? [] },
        });
        appends.event(task.id, taskEvent("task.completed", { status: "completed", result }));
      },
    };
  }

  async #finishFailed(task: Task, failure: { step: number; error: string }): Promise<void> {
    const { db } = this.#o;
    const steps = await getTaskSteps(db, task.id);
    for (const step of steps.filter((s) => s.status === "pending")) {
      await updateStep(db, task.id, step.step_number, { status: "skipped" }, { owner: this.owner });
      await this.#event(task.id, taskEvent("step.skipped", { step_number: step.step_number }));
    }
    const error = failure.step ? `step ${failure.step} failed: ${failure.error}` : failure.error;
    const partial = buildResult(await getTaskSteps(db, task.id));
    const done = await updateTask(db, task.id, {
      status: "failed",
      error,
      result: { ...partial, summary: `The task failed: ${error}`, error },
      completed_at: isoNow(),
    }, { owner: this.owner, unlessStatus: ["cancelled"] });
    if (!done) return;
    await addMessage(db, {
      session_id: task.session_id,
      role: "assistant",
      content: `The task failed: ${error}`,
      task_id: task.id,
    });
    await this.#event(task.id, taskEvent("task.failed", { status: "failed", error }));
  }

  async #finishCancelled(task: Task): Promise<void> {
    const { db } = this.#o;
    const steps = await getTaskSteps(db, task.id);
    // The task is already cancelled (and so unclaimable): no lease guards these writes.
    for (const step of steps.filter((s) => s.status === "pending" || s.status === "running")) {
      await updateStep(db, task.id, step.step_number, {
        status: "cancelled",
        completed_at: isoNow(),
      });
      await this.#event(task.id, taskEvent("step.cancelled", { step_number: step.step_number }));
    }
    await releaseLease(db, task.id, this.owner);
  }

  /** Agents that can run the step: the planned one first, then the others, active first. */
  async #candidates(step: TaskStep): Promise<Agent[]> {
    const wanted = step.capability.toLowerCase();
    const able = (await this.#o.agents()).filter((a) =>
      a.capabilities.some((c) => c.toLowerCase() === wanted)
    );
    const rank = (a: Agent) => (a.id === step.agent_id ? 0 : 2) + (a.status === "active" ? 0 : 1);
    return able.sort((a, b) => rank(a) - rank(b) || a.id - b.id);
  }

  async #runStep(
    task: Task,
    step: TaskStep,
    progress: StepProgress,
    history: History,
    alreadyStarted: boolean,
    signal: AbortSignal,
  ): Promise<JsonObject> {
    const { db, agentClient, metrics, maxRetries, retryBaseMs, stepTimeoutMs } = this.#o;
    const { outputs } = progress;
    const candidates = await this.#candidates(step);
    const dependencies: Record<string, JsonObject> = {};
    for (const d of step.dependencies) dependencies[String(d)] = outputs.get(d)!;
    const request = {
      task: { id: task.id, description: task.description, session_id: task.session_id },
      step: {
        step_number: step.step_number,
        description: step.description,
        capability: step.capability,
      },
      dependencies,
      history,
    };
    const startedAt = performance.now();
    const started = alreadyStarted || await this.#record(task.id, async (trx, appends) => {
      const agent = candidates[0];
      const changed = await startStep(trx, task.id, step.step_number, this.owner, {
        agent_id: agent?.id ?? step.agent_id,
        input_data: stepInput(step, dependencies, history.length),
        attempts: step.attempts + 1,
      });
      if (changed) {
        appends.event(
          task.id,
          taskEvent("step.started", {
            step_number: step.step_number,
            agent_id: agent?.id ?? null,
            agent_name: agent?.name ?? null,
          }),
        );
      }
      return changed;
    });
    if (!started) throw new LeaseLost("lease lost before the step started");

    let lastError = `no registered agent has the capability "${step.capability}"`;
    for (const [index, agent] of candidates.entries()) {
      if (index > 0) {
        metrics.agentCall("fallback");
        await this.#event(
          task.id,
          taskEvent("step.fallback", {
            step_number: step.step_number,
            agent_id: agent.id,
            agent_name: agent.name,
            reason: lastError,
          }),
        );
      }
      for (let attempt = 0; attempt <= maxRetries; attempt++) {
        if (signal.aborted) throw signal.reason;
        const limit = deadline(signal, stepTimeoutMs);
        let output: JsonObject;
        try {
          output = await agentClient.call(agent, request, limit.signal)
            .finally(() => limit.clear());
        } catch (error) {
          if (signal.aborted) throw signal.reason;
          const timedOut = limit.timedOut;
          metrics.agentCall(timedOut ? "timeout" : "failure");
          lastError = timedOut
            ? `agent ${agent.name} timed out after ${stepTimeoutMs} ms`
            : error instanceof Error
            ? error.message
            : String(error);
          const transient = timedOut || (error instanceof AgentCallError && error.transient);
          if (!transient || attempt === maxRetries) break;
          metrics.agentCall("retry");
          const delay = retryBaseMs * 2 ** attempt * (0.5 + Math.random());
          await this.#event(
            task.id,
            taskEvent("step.retry", {
              step_number: step.step_number,
              agent_id: agent.id,
              attempt: attempt + 1,
              error: lastError,
              delay_ms: Math.round(delay),
            }),
          );
          await sleep(delay, signal);
          continue;
        }
        metrics.agentCall("success");
        metrics.stepDuration((performance.now() - startedAt) / 1000);
        // The last step to finish completes the task in the same write.
        const last = progress.inFlight.size === 1 && !progress.failed &&
          progress.outputs.size === progress.steps.length - 1;
        const completion = last
          ? this.#completion(task, progress, [step.step_number, output])
          : undefined;
        // A database error here is not the agent's failure: calling another agent would repeat
        // its work. This run stops; the task resumes when its lease is free.
        const completed = await this.#record(task.id, async (trx, appends) => {
          const { step: stepDone, task: taskDone } = await completeStepAndTask(
            trx,
            task.id,
            step.step_number,
            this.owner,
            agent.id,
            output,
            completion?.result,
          );
          if (!stepDone) return false;
          appends.event(
            task.id,
            taskEvent("step.completed", {
              step_number: step.step_number,
              agent_id: agent.id,
              agent_name: agent.name,
              output,
            }),
          );
          if (taskDone) completion!.record(appends);
          return true;
        }).catch((error) => {
          throw new ProgressNotRecorded(`step ${step.step_number}'s output: ${error}`);
        });
        if (!completed) throw new LeaseLost("lease lost before the step completed");
        // Tried here (declined only for a task cancelled meanwhile): not to be tried again.
        if (completion) progress.taskCompleted = true;
        return output;
      }
    }
    await updateStep(db, task.id, step.step_number, {
      status: "failed",
      error: lastError,
      completed_at: isoNow(),
    }, { owner: this.owner });
    await this.#event(
      task.id,
      taskEvent("step.failed", { step_number: step.step_number, error: lastError }),
    );
    throw new Error(lastError);
  }

  /** Marks a task cancelled (unless finished) and aborts it wherever it runs. */
  static async cancel(
    db: Kysely<Database>,
    notifier: Notifier,
    taskId: number,
  ): Promise<Task | undefined> {
    const cancelled = await updateTask(db, taskId, {
      status: "cancelled",
      completed_at: isoNow(),
      error: "cancelled by request",
    }, { unlessStatus: ["completed", "failed", "cancelled"] });
    if (cancelled) {
      await appendEvent(db, taskId, taskEvent("task.cancelled", { status: "cancelled" }));
      notifier.publish("task_events", String(taskId));
      notifier.publish("task_cancel", String(taskId));
      return cancelled;
    }
    return await getTask(db, taskId);
  }
}
