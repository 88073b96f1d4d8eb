/**
 * Each step's attempts as the task's events tell them, for the attempt timeline and the step
 * details: queued, running (on which agent), each retry with its error and delay, a fallback
 * to another agent, and how it ended. Pure; the stream's replay builds it from the start.
 */
import type { TaskEventMessage } from "../types.ts";

export type AttemptKind =
  | "queued"
  | "running"
  | "retry"
  | "fallback"
  | "done"
  | "failed"
  | "skipped"
  | "cancelled";

export interface AttemptEntry {
  kind: AttemptKind;
  at: string;
  agent?: string | null;
  error?: string;
  delay_ms?: number;
  attempt?: number;
}

export type StepHistory = Readonly<Record<number, readonly AttemptEntry[]>>;

function add(history: StepHistory, step: number, entry: AttemptEntry): StepHistory {
  return { ...history, [step]: [...(history[step] ?? []), entry] };
}

/** The history after `message`; `steps` are the task's step numbers (queued on creation). */
export function applyHistory(
  history: StepHistory,
  message: TaskEventMessage,
  steps: readonly number[],
): StepHistory {
  const at = message.created_at;
  switch (message.type) {
    case "task.created": {
      let next = history;
      for (const step of steps) next = add(next, step, { kind: "queued", at });
      return next;
    }
    case "task.retried": {
      let next = history;
      for (const step of message.steps) next = add(next, step, { kind: "queued", at });
      return next;
    }
    case "step.started":
      return add(history, message.step_number, {
        kind: "running",
        at,
        agent: message.agent_name,
      });
    case "step.retry":
      return add(history, message.step_number, {
        kind: "retry",
        at,
        error: message.error,
        delay_ms: message.delay_ms,
        attempt: message.attempt,
      });
    case "step.fallback":
      return add(history, message.step_number, {
        kind: "fallback",
        at,
        agent: message.agent_name,
        error: message.reason,
      });
    case "step.completed":
      return add(history, message.step_number, { kind: "done", at, agent: message.agent_name });
    case "step.failed":
      return add(history, message.step_number, { kind: "failed", at, error: message.error });
    case "step.skipped":
      return add(history, message.step_number, { kind: "skipped", at });
    case "step.cancelled":
      return add(history, message.step_number, { kind: "cancelled", at });
    default:
      return history;
  }
}
