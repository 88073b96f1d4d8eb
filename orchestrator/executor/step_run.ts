/**
 * One step's attempts: the agents able to do it (the planned one first), each tried with a
 * deadline and retried with backoff on transient failures, then the next agent (fallback).
 * The step's start and outcome are recorded through the lifecycle under the task's lease.
 */
import type { Agent, JsonObject, Task, TaskStep } from "@app/db";
import { taskEvent } from "@app/lib";
import { AgentCallError, AgentNeedsInput } from "../agent_errors.ts";
import type { AgentClient, StepRequest } from "../agent_client.ts";
import { deadline } from "../deadline.ts";
import type { Lease, NextSteps, TaskCompletion, TaskLifecycle } from "../lifecycle/lifecycle.ts";
import type { Metrics } from "../metrics.ts";
import { LeaseLost, ProgressNotRecorded } from "./errors.ts";
import { stepInput } from "./step_input.ts";
import { StepProgressRelay } from "./step_progress.ts";
import type { UsageRecord } from "@app/lib/usage";
import { usageRows } from "../usage_rows.ts";
import { inSpan, type Span, SpanKind } from "@app/lib/tracing";

export interface StepSettings {
  stepTimeoutMs: number;
  maxRetries: number;
  retryBaseMs: number;
  /** How long streamed chunks gather before one `step.progress` event (default 250 ms). */
  progressIntervalMs?: number;
}

export interface StepDeps {
  lifecycle: TaskLifecycle;
  agentClient: AgentClient;
  metrics: Metrics;
  /** The registered agents (a short-lived cache). */
  agents: () => Promise<Agent[]>;
  settings: StepSettings;
}

/** The conversation an agent sees with its step. */
export type History = { role: string; content: string }[];

/** What a step needs from its task's run. */
export interface StepContext {
  lease: Lease;
  task: Task;
  history: History;
  /** Outputs of the steps this one depends on. */
  dependencies: Record<string, JsonObject>;
  /** Stored as running already (by the submit, or by the completion before it). */
  alreadyStarted: boolean;
  /** The task's completion when this step's output is the last one missing, else undefined. */
  completionWith(output: JsonObject): TaskCompletion | undefined;
  /** Nothing else runs or could start: a question from this step may park the task at once. */
  aloneInFlight?(): boolean;
  /** Steps this step's `output` makes ready, to start in the write that records it. */
  nextWith?(output: JsonObject): Promise<ChainedSteps | undefined>;
}

/** Steps to start with a step's output, held for it until its write tells which started. */
export interface ChainedSteps extends NextSteps {
  /** The write's outcome: the steps it started (none when it failed or was refused). */
  settle(started: number[]): void;
}

/** A step's outcome: its output, and whether its write also completed the task. */
export interface StepOutcome {
  output: JsonObject;
  taskCompleted: boolean;
  /** The agent asked a question: the step waits (and, `parked`, so does the task already). */
  waiting?: { parked: boolean };
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });

/** Agents that can run the step: the planned one first, then the others, active first. */
export function candidatesFor(step: Pick<TaskStep, "capability" | "agent_id">, agents: Agent[]) {
  const wanted = step.capability.toLowerCase();
  const able = agents.filter((a) => a.capabilities.some((c) => c.toLowerCase() === wanted));
  const rank = (a: Agent) => (a.id === step.agent_id ? 0 : 2) + (a.status === "active" ? 0 : 1);
  return able.sort((a, b) => rank(a) - rank(b) || a.id - b.id);
}

/**
 * A step's idempotency key: the same on every call for it, from any process. The session id
 * (random, or the client's) keeps keys of two deployments' "task 1" apart.
 */
export function stepIdempotencyKey(
  task: Pick<Task, "id" | "session_id">,
  stepNumber: number,
): string {
  // Encoded: a header carries only ASCII.
  return `task-${task.id}-step-${stepNumber}-${encodeURIComponent(task.session_id)}`.slice(0, 255);
}

/** The plan step's `input` (a tool's arguments), if the plan gives one. */
function planStepInput(task: Pick<Task, "plan">, stepNumber: number): JsonObject | undefined {
  const steps = (task.plan as { steps?: { step_number?: number; input?: unknown }[] }).steps;
  const input = steps?.find((s) => s.step_number === stepNumber)?.input;
  return input && typeof input === "object" && !Array.isArray(input)
    ? input as JsonObject
    : undefined;
}

/**
 * The key of the `n`-th answer sent for a step: each answer is a new message to the agent, so
 * it needs its own key (under the step's own key the agent would replay its question).
 */
export function answerIdempotencyKey(
  task: Pick<Task, "id" | "session_id">,
  stepNumber: number,
  n: number,
): string {
  return `task-${task.id}-step-${stepNumber}-answer-${n}-${encodeURIComponent(task.session_id)}`
    .slice(0, 255);
}

/** Runs one step to its output; throws its last agent's error once every agent has failed. */
export function runStep(
  deps: StepDeps,
  context: StepContext,
  step: TaskStep,
  signal: AbortSignal,
): Promise<StepOutcome> {
  // One span per step, in its task's trace; the agents' spans are its children.
  return inSpan(`step ${step.step_number}`, {
    attributes: {
      "task.id": context.task.id,
      "step.number": step.step_number,
      "step.capability": step.capability,
    },
  }, (span) => attempts(deps, context, step, signal, span));
}

async function attempts(
  deps: StepDeps,
  context: StepContext,
  step: TaskStep,
  signal: AbortSignal,
  span: Span,
): Promise<StepOutcome> {
  const { lifecycle, agentClient, metrics } = deps;
  const { maxRetries, retryBaseMs, stepTimeoutMs } = deps.settings;
  const { lease, task, history, dependencies } = context;
  // An answer goes to the agent that asked, in its own A2A task: no other agent knows it.
  const answering = step.answer !== null && step.agent_task_id !== null;
  const candidates = answering
    ? (await deps.agents()).filter((a) => a.id === step.agent_id)
    : candidatesFor(step, await deps.agents());
  const request: StepRequest = {
    task: { id: task.id, description: task.description, session_id: task.session_id },
    step: {
      step_number: step.step_number,
      description: step.description,
      capability: step.capability,
    },
    dependencies,
    history,
    arguments: planStepInput(task, step.step_number),
    idempotency_key: answering
      ? answerIdempotencyKey(task, step.step_number, step.answers + 1)
      : stepIdempotencyKey(task, step.step_number),
    ...(answering && {
      answer: {
        text: step.answer!,
        a2a_task_id: step.agent_task_id!,
        a2a_context_id: step.agent_context_id,
      },
    }),
  };
  const startedAt = performance.now();
  const started = context.alreadyStarted || await lifecycle.startStep(lease, step, {
    agent: candidates[0],
    input_data: stepInput(step, dependencies, history.length),
    attempts: step.attempts + 1,
  });
  if (!started) throw new LeaseLost("lease lost before the step started");

  let lastError = answering
    ? `the agent that asked (id ${step.agent_id}) is no longer registered`
    : `no registered agent has the capability "${step.capability}"`;
  for (const [index, agent] of candidates.entries()) {
    if (index > 0) {
      metrics.agentCall("fallback");
      await lifecycle.note(
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
      const progress = new StepProgressRelay(
        (p) => lifecycle.stepProgress(task.id, step.step_number, agent.id, p),
        deps.settings.progressIntervalMs ?? 250,
      );
      let output: JsonObject;
      let reported: UsageRecord[] = [];
      const callStarted = performance.now();
      const callSeconds = () => (performance.now() - callStarted) / 1000;
      try {
        span.setAttributes({
          "agent.id": agent.id,
          "agent.name": agent.name,
          attempt: attempt + 1,
        });
        output = await inSpan(`call ${agent.name}`, {
          kind: SpanKind.CLIENT,
          attributes: {
            "agent.id": agent.id,
            "agent.name": agent.name,
            "agent.type": agent.agent_type,
            attempt: attempt + 1,
          },
        }, () =>
          agentClient.call(
            agent,
            request,
            limit.signal,
            (p) => progress.push(p),
            (usage) => (reported = usage),
          ))
          .finally(() => {
            limit.clear();
            progress.stop();
          });
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        if (error instanceof AgentNeedsInput && error.asked.a2a_task_id) {
          metrics.agentCall("success");
          const recorded = await lifecycle.askForInput(
            lease,
            task,
            step.step_number,
            agent,
            {
              kind: error.asked.kind,
              question: error.asked.question,
              agent_task_id: error.asked.a2a_task_id,
              agent_context_id: error.asked.a2a_context_id,
              answered: answering,
            },
            context.aloneInFlight?.() ?? false,
          ).catch((e) => {
            throw new ProgressNotRecorded(`step ${step.step_number}'s question: ${e}`, {
              cause: e,
            });
          });
          if (!recorded.asked) throw new LeaseLost("lease lost before the question was kept");
          return { output: {}, taskCompleted: false, waiting: { parked: recorded.parked } };
        }
        const timedOut = limit.timedOut;
        metrics.agentCall(timedOut ? "timeout" : "failure");
        metrics.agentCallDuration(agent.name, timedOut ? "timeout" : "failure", callSeconds());
        lastError = timedOut
          ? `agent ${agent.name} timed out after ${stepTimeoutMs} ms`
          : error instanceof Error
          ? error.message
          : String(error);
        const transient = timedOut || (error instanceof AgentCallError && error.transient);
        if (!transient || attempt === maxRetries) break;
        metrics.agentCall("retry");
        const delay = retryBaseMs * 2 ** attempt * (0.5 + Math.random());
        await lifecycle.note(
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
      metrics.agentCallDuration(agent.name, "success", callSeconds());
      metrics.stepDuration((performance.now() - startedAt) / 1000);
      // The last step to finish completes the task in the same write.
      const completion = context.completionWith(output);
      const usage = usageRows(lifecycle.prices, reported, {
        step_number: step.step_number,
        agent,
      });
      // The steps this output makes ready start in the same write.
      const next = completion ? undefined : await context.nextWith?.(output);
      // A database error here is not the agent's failure: calling another agent would repeat
      // its work. This run stops; the task resumes when its lease is free.
      let recorded: Awaited<ReturnType<TaskLifecycle["completeStep"]>> | undefined;
      try {
        recorded = await lifecycle.completeStep(
          lease,
          task,
          step.step_number,
          agent,
          output,
          { completion, usage, next },
        );
      } catch (error) {
        throw new ProgressNotRecorded(`step ${step.step_number}'s output: ${error}`, {
          cause: error,
        });
      } finally {
        next?.settle(recorded?.started ?? []);
      }
      if (!recorded.step) throw new LeaseLost("lease lost before the step completed");
      metrics.usage(usage);
      span.setAttribute("step.outcome", "completed");
      // Tried here (declined only for a task cancelled meanwhile): not to be tried again.
      return { output, taskCompleted: completion !== undefined };
    }
  }
  span.setAttribute("step.outcome", "failed");
  await lifecycle.failStep(lease, step.step_number, lastError);
  throw new StepFailed(step.step_number, lastError);
}

/** Every agent able to do the step failed it. */
export class StepFailed extends Error {
  constructor(readonly stepNumber: number, message: string) {
    super(message);
    this.name = "StepFailed";
  }
}
