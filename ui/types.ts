/**
 * The orchestrator's response shapes, from its API contract. Types only (`import type`): the
 * islands' bundles get no zod. The few values here are the UI's own.
 */
import type { TaskEventType, TaskStatus, TaskView } from "@app/lib/api_contract";

export type {
  Agent,
  AgentCalls,
  AgentDeleted,
  AgentHealth,
  AgentUsage,
  ApiError,
  CreatedTask,
  Me,
  Message,
  Session,
  SessionDetail,
  StepStatus,
  StepView,
  TaskEventMessage,
  TaskEventType,
  TaskResult,
  TaskStatus,
  TaskView,
  UsageTotals,
} from "@app/lib/api_contract";

/** Every event type of a task's stream; a type the contract adds is a compile error here. */
const EVENT_TYPES: Record<TaskEventType, true> = {
  "task.created": true,
  "plan.fallback": true,
  "task.started": true,
  "task.resumed": true,
  "step.started": true,
  "step.retry": true,
  "step.fallback": true,
  "step.completed": true,
  "step.failed": true,
  "step.skipped": true,
  "step.cancelled": true,
  "task.completed": true,
  "task.failed": true,
  "task.cancelled": true,
  "task.retried": true,
  "webhook.failed": true,
  "step.progress": true,
  "budget.exceeded": true,
  "plan.proposed": true,
  "plan.approved": true,
  "plan.rejected": true,
  "step.input_required": true,
  "task.input_required": true,
  "step.input_received": true,
  "task.dequeued": true,
};
export const TASK_EVENT_TYPES = Object.keys(EVENT_TYPES) as TaskEventType[];

export const FINISHED_STATUSES: readonly TaskStatus[] = ["completed", "failed", "cancelled"];

export const isFinished = (status: TaskStatus) => FINISHED_STATUSES.includes(status);

/** A task as an island's props: the plan repeats the steps, so it stays on the server. */
export type IslandTask = Omit<TaskView, "plan">;

export function forIsland(task: TaskView): IslandTask {
  const { plan: _plan, ...rest } = task;
  return rest;
}
