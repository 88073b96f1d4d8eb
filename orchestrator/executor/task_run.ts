/**
 * The run of one task's step graph: ready steps (those whose dependencies have outputs) start
 * as slots free up, at most `stepConcurrency` at once; completed steps are never run again.
 * The task ends completed (its last step's write), failed (a step failed) or, when its run
 * was aborted, as the database says: cancelled, or left for whoever holds its lease next.
 */
import {
  type Agent,
  type Database,
  getTask,
  getTaskContext,
  getTaskSteps,
  type JsonObject,
  listMessages,
  type Task,
  type TaskContext,
  type TaskStep,
} from "@app/db";
import type { Kysely } from "kysely";
import type { Lease } from "../lifecycle/lifecycle.ts";
import { type BudgetStop, budgetStopEvent, checkBudget } from "./budget.ts";
import { contextFrom, inSpan } from "@app/lib/tracing";
import { buildResult } from "../result.ts";
import { interruptsRun } from "./errors.ts";
import {
  candidatesFor,
  type ChainedSteps,
  type History,
  runStep,
  type StepDeps,
  StepFailed,
} from "./step_run.ts";
import { stepInput } from "./step_input.ts";

/** A task to run: adopted at submit (with what its submitter knew) or claimed. */
export interface TaskRun {
  task: Task;
  /** Its steps, when known; those stored as running have started already. */
  steps?: TaskStep[];
  /** The session's recent messages, when the submitter knows them (a new session). */
  history?: History;
  /** Its budget and trace context, when the submitter knows them (else read). */
  context?: TaskContext;
}

export interface TaskRunDeps extends StepDeps {
  db: Kysely<Database>;
  owner: string;
  stepConcurrency: number;
  /** How many of the session's last messages an agent sees. */
  historyMessages: number;
}

/** What is done, what runs, and what a finishing step needs to know to complete the task. */
class StepGraph {
  readonly outputs = new Map<number, JsonObject>();
  readonly inFlight = new Map<number, Promise<void>>();
  /** Steps whose agent asked a question: they wait for a person's answer. */
  readonly waiting = new Set<number>();
  /** Stored as running by this run's writes (the submit's, a step's completion): not run yet. */
  readonly started = new Set<number>();
  /** Being started by a step's completion, whose write is out. */
  readonly starting = new Set<number>();
  failure: { step: number; error: string } | undefined;
  /** A finished step took the task over its budget: nothing more starts. */
  budgetStop: BudgetStop | undefined;

  constructor(readonly steps: TaskStep[], readonly stepConcurrency: number) {
    for (const step of steps) {
      if (step.status === "completed") this.outputs.set(step.step_number, step.output_data);
      if (step.status === "input_required") this.waiting.add(step.step_number);
    }
  }

  /**
   * Steps whose dependencies all have outputs and that neither run, ran, wait nor are being
   * started; those started already first (their slots were kept for them).
   */
  ready(): TaskStep[] {
    const ready = this.steps.filter((s) =>
      !this.inFlight.has(s.step_number) && !this.outputs.has(s.step_number) &&
      !this.waiting.has(s.step_number) && !this.starting.has(s.step_number) &&
      s.dependencies.every((d) => this.outputs.has(d))
    );
    return ready.filter((s) => this.started.has(s.step_number))
      .concat(ready.filter((s) => !this.started.has(s.step_number)));
  }

  /**
   * The steps that `stepNumber`'s `output` makes ready, as many as the slots it and the free
   * ones leave, held as `starting` for its write (`settle` tells which it started).
   */
  next(stepNumber: number, output: JsonObject) {
    if (this.failure || this.budgetStop) return [];
    const free = this.stepConcurrency - (this.inFlight.size - 1) - this.started.size -
      this.starting.size;
    const done = (d: number) => d === stepNumber || this.outputs.has(d);
    const next = this.steps.filter((s) =>
      s.dependencies.includes(stepNumber) && s.answer === null &&
      !this.inFlight.has(s.step_number) && !this.outputs.has(s.step_number) &&
      !this.waiting.has(s.step_number) && !this.starting.has(s.step_number) &&
      !this.started.has(s.step_number) && s.dependencies.every(done)
    ).slice(0, Math.max(free, 0));
    for (const s of next) this.starting.add(s.step_number);
    return next.map((step) => ({
      step,
      dependencies: this.dependencyOutputs(step, [stepNumber, output]),
    }));
  }

  settle(held: number[], started: number[]): void {
    for (const n of held) this.starting.delete(n);
    for (const n of started) this.started.add(n);
  }

  dependencyOutputs(step: TaskStep, finishing?: [number, JsonObject]) {
    const outputs: Record<string, JsonObject> = {};
    for (const d of step.dependencies) {
      outputs[String(d)] = d === finishing?.[0] ? finishing[1] : this.outputs.get(d)!;
    }
    return outputs;
  }

  get complete(): boolean {
    return this.outputs.size === this.steps.length;
  }

  /** The task's result once `stepNumber` adds `output`, if that makes every output known. */
  completionWith(stepNumber: number, output: JsonObject) {
    const last = this.inFlight.size === 1 && !this.failure && !this.budgetStop &&
      this.outputs.size === this.steps.length - 1 && !this.outputs.has(stepNumber);
    return last ? this.completion([stepNumber, output]) : undefined;
  }

  completion(finishing?: [number, JsonObject]) {
    const outputs = new Map(this.outputs);
    if (finishing) outputs.set(...finishing);
    return {
      result: buildResult(this.steps.map((s) => ({
        ...s,
        status: "completed" as const,
        output_data: outputs.get(s.step_number)!,
      }))),
    };
  }
}

/**
 * Runs the task's remaining steps; resolves when the task has ended or stopped here. The run
 * is a span in the trace of the request that submitted the task, wherever and whenever it runs.
 */
export async function runTaskGraph(
  deps: TaskRunDeps,
  run: TaskRun,
  signal: AbortSignal,
): Promise<void> {
  const taskContext = run.context ?? await getTaskContext(deps.db, run.task.id);
  await inSpan(`task ${run.task.id}`, {
    parent: contextFrom(taskContext.traceparent),
    attributes: { "task.id": run.task.id, "session.id": run.task.session_id },
  }, () => runGraph(deps, run, taskContext, signal));
}

async function runGraph(
  deps: TaskRunDeps,
  run: TaskRun,
  taskContext: TaskContext,
  signal: AbortSignal,
): Promise<void> {
  const { db, lifecycle, stepConcurrency } = deps;
  const { task } = run;
  const lease: Lease = { taskId: task.id, owner: deps.owner };
  const graph = new StepGraph(run.steps ?? await getTaskSteps(db, task.id), stepConcurrency);
  // Read once per task: its own steps add nothing to the conversation until it finishes.
  const history = run.history ??
    (await listMessages(db, task.session_id, { last: deps.historyMessages }))
      .map((m) => ({ role: m.role, content: m.content }));
  // Steps stored as running by this task's submitter, for this process: started already.
  if (run.steps) {
    for (const s of graph.steps) if (s.status === "running") graph.started.add(s.step_number);
  }
  let taskCompleted = false;
  /** A question parked the task already (its lease handed back in the same write). */
  let parked = false;
  /** This run cannot go on (lease lost, progress not written): stop, neither fail nor retry. */
  let interrupted: Error | undefined;
  const { budget } = taskContext;
  /** With a budget, what the task has spent so far is read after each step (and now). */
  const spentCheck = async (stepNumber: number | null) => {
    if (!budget || graph.budgetStop) return;
    try {
      graph.budgetStop = await checkBudget(db, task.id, budget, stepNumber);
    } catch (error) {
      interrupted ??= error instanceof Error ? error : new Error(String(error));
    }
  };
  // Planning alone, or the steps run before a takeover, may have spent it already.
  if (!graph.complete) await spentCheck(null);

  /**
   * The steps `step`'s output makes ready, to start in its completion's write: agent and input
   * as the step's own start would record them. With a budget, the write reads what the task
   * has spent (this output's usage included) and starts nothing past it; `spentRead` says the
   * write read it (the step's own check after it is then moot). That read is final only for a
   * step alone in flight: a sibling's completion may be in another batch, open at the same
   * time on Postgres, and neither sees the other's usage; then the check after commit stays.
   */
  const nextWith = async (
    step: TaskStep,
    output: JsonObject,
    spentRead: () => void,
  ): Promise<ChainedSteps | undefined> => {
    const next = graph.next(step.step_number, output);
    if (!next.length) return undefined;
    const held = next.map((n) => n.step.step_number);
    let agents: Agent[];
    try {
      agents = await deps.agents();
    } catch {
      graph.settle(held, []); // the loop starts them the usual way
      return undefined;
    }
    const alone = graph.inFlight.size === 1;
    // Asked again if the write is (its batch failed and each write was retried alone).
    let read = false;
    let stop: BudgetStop | undefined;
    return {
      steps: next.map(({ step: s, dependencies }) => ({
        step_number: s.step_number,
        agent: candidatesFor(s, agents)[0],
        input_data: stepInput(s, dependencies, history.length),
        attempts: s.attempts + 1,
      })),
      allowed: budget
        ? async (trx) => {
          stop = await checkBudget(trx, task.id, budget, step.step_number);
          read = true;
          return !stop;
        }
        : undefined,
      settle: (started) => {
        graph.settle(held, started);
        graph.budgetStop ??= stop;
        if (read && alone) spentRead();
      },
    };
  };

  while (!graph.failure && !graph.budgetStop && !interrupted && !signal.aborted) {
    for (const step of graph.ready().slice(0, stepConcurrency - graph.inFlight.size)) {
      let spentRead = false;
      const context = {
        lease,
        task,
        history,
        dependencies: graph.dependencyOutputs(step),
        alreadyStarted: graph.started.delete(step.step_number),
        completionWith: (output: JsonObject) => graph.completionWith(step.step_number, output),
        aloneInFlight: () => graph.inFlight.size === 1 && !graph.ready().length,
        nextWith: (output: JsonObject) => nextWith(step, output, () => (spentRead = true)),
      };
      const stepRun = runStep(deps, context, step, signal).then(
        (outcome) => {
          if (outcome.waiting) {
            graph.waiting.add(step.step_number);
            parked ||= outcome.waiting.parked;
            return;
          }
          graph.outputs.set(step.step_number, outcome.output);
          taskCompleted ||= outcome.taskCompleted;
          if (!taskCompleted && !spentRead) return spentCheck(step.step_number);
        },
        (error) => {
          if (interruptsRun(error)) interrupted ??= error;
          else if (error instanceof StepFailed) {
            graph.failure ??= { step: error.stepNumber, error: error.message };
          } else if (!signal.aborted) {
            graph.failure ??= { step: step.step_number, error: String(error?.message ?? error) };
          }
        },
      ).finally(() => graph.inFlight.delete(step.step_number));
      graph.inFlight.set(step.step_number, stepRun);
    }
    if (!graph.inFlight.size) break;
    await Promise.race(graph.inFlight.values());
  }
  await Promise.allSettled(graph.inFlight.values());

  if (signal.aborted) {
    // The database decides: a cancel signal for a task that is not cancelled there is not
    // ours to act on. A cancelled task's steps and lease were settled by the cancel itself.
    if ((await getTask(db, task.id))?.status === "cancelled") return;
    throw signal.reason;
  }
  if (interrupted) throw interrupted;
  if (graph.budgetStop && !taskCompleted) {
    const stop = graph.budgetStop;
    await lifecycle.failTask(lease, task, stop.error, budgetStopEvent(stop));
    return;
  }
  if (!graph.failure && graph.waiting.size) {
    // What could run has run: the task waits for answers, holding no lease.
    if (!parked) await lifecycle.waitForInput(lease);
    return;
  }
  if (graph.failure) {
    const { step, error } = graph.failure;
    await lifecycle.failTask(lease, task, step ? `step ${step} failed: ${error}` : error);
  } else if (!graph.complete) {
    await lifecycle.failTask(
      lease,
      task,
      "some steps could not start: their dependencies never completed",
    );
  } else if (!taskCompleted) {
    await lifecycle.completeTask(lease, task, graph.completion());
  }
}
