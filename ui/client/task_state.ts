/**
 * A task kept current in the browser by applying each event of its stream to it, instead of
 * re-reading the whole task per event (a 183-step task was 825 KB per event). Pure.
 *
 * The stream first replays the task's history onto the state the page was rendered with, so a
 * change is applied only where the transition table allows it from the current status: an
 * old `step.started` replayed onto a completed step changes nothing. An event this code does
 * not know returns `undefined`: the caller re-reads the task then (never a stale view).
 */
import {
  STEP_TRANSITIONS,
  type StepTransition,
  TASK_TRANSITIONS,
  type TaskTransition,
} from "@app/lib/task_transitions";
import type { IslandTask, StepView, TaskEventMessage, TaskResult } from "../types.ts";

function stepMoves(step: StepView, transition: StepTransition): boolean {
  return (STEP_TRANSITIONS[transition].from as readonly string[]).includes(step.status);
}
function taskMoves(task: IslandTask, transition: TaskTransition): boolean {
  return (TASK_TRANSITIONS[transition].from as readonly string[]).includes(task.status);
}

function withStep(
  task: IslandTask,
  stepNumber: number,
  transition: StepTransition | null,
  change: (step: StepView) => Partial<StepView>,
): IslandTask {
  let changed = false;
  const steps = task.steps.map((step) => {
    if (step.step_number !== stepNumber) return step;
    if (transition && !stepMoves(step, transition)) return step;
    changed = true;
    return { ...step, ...change(step) };
  });
  return changed ? { ...task, steps, updated_at: task.updated_at } : task;
}

/** The task after `message`; the same object when nothing changed; undefined if unknown. */
export function applyTaskEvent(
  task: IslandTask,
  message: TaskEventMessage,
): IslandTask | undefined {
  const at = message.created_at;
  switch (message.type) {
    case "task.created":
    case "plan.fallback":
    case "step.progress":
    case "webhook.failed":
      return task;
    case "task.started":
    case "task.resumed":
      return taskMoves(task, "start") || taskMoves(task, "resume")
        ? (task.status === "executing" ? task : { ...task, status: "executing" })
        : task;
    case "step.started":
      return withStep(task, message.step_number, "start", (step) => ({
        status: "running",
        started_at: at,
        error: null,
        agent_id: message.agent_id ?? step.agent_id,
        agent_name: message.agent_name ?? step.agent_name,
      }));
    case "step.retry":
      return withStep(
        task,
        message.step_number,
        null,
        (step) =>
          step.status === "running" ? { attempts: Math.max(step.attempts, message.attempt) } : {},
      );
    case "step.fallback":
      return withStep(
        task,
        message.step_number,
        null,
        (step) =>
          step.status === "running"
            ? { agent_id: message.agent_id, agent_name: message.agent_name }
            : {},
      );
    case "step.completed":
      return withStep(task, message.step_number, "complete", () => ({
        status: "completed",
        output_data: message.output,
        completed_at: at,
        error: null,
        agent_id: message.agent_id,
        agent_name: message.agent_name,
      }));
    case "step.failed":
      return withStep(task, message.step_number, "fail", () => ({
        status: "failed",
        error: message.error,
        completed_at: at,
      }));
    case "step.skipped":
      return withStep(task, message.step_number, "skip", () => ({ status: "skipped" }));
    case "step.cancelled":
      return withStep(task, message.step_number, "cancel", () => ({
        status: "cancelled",
        completed_at: at,
      }));
    case "task.completed":
      return taskMoves(task, "complete")
        ? {
          ...task,
          status: "completed",
          result: message.result as TaskResult,
          error: null,
          completed_at: at,
        }
        : task;
    case "task.failed":
      return taskMoves(task, "fail")
        ? {
          ...task,
          status: "failed",
          error: message.error,
          result: { error: message.error },
          completed_at: at,
        }
        : task;
    case "task.cancelled":
      return taskMoves(task, "cancel")
        ? { ...task, status: "cancelled", error: "cancelled by request", completed_at: at }
        : task;
    case "task.retried": {
      if (!taskMoves(task, "retry")) return task;
      const queued = new Set(message.steps);
      return {
        ...task,
        status: "pending",
        error: null,
        result: {},
        completed_at: null,
        steps: task.steps.map((step) =>
          queued.has(step.step_number) && stepMoves(step, "retry")
            ? { ...step, status: "pending", error: null, started_at: null, completed_at: null }
            : step
        ),
      };
    }
    default:
      return undefined;
  }
}
