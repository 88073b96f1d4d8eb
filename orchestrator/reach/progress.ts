/** A task event told in one line, for callers that watch a task from outside (A2A, MCP). */
import type { TaskEventMessage } from "@app/lib/task_events";

/** The line for an event worth telling a watcher, else undefined. */
export function progressLine(event: TaskEventMessage): string | undefined {
  switch (event.type) {
    case "task.started":
      return "Task started.";
    case "task.resumed":
      return "Task resumed.";
    case "step.started":
      return `Step ${event.step_number} started${
        event.agent_name ? ` on ${event.agent_name}` : ""
      }.`;
    case "step.retry":
      return `Step ${event.step_number} retried (attempt ${event.attempt}): ${event.error}`;
    case "step.fallback":
      return `Step ${event.step_number} moved to ${event.agent_name}: ${event.reason}`;
    case "step.completed":
      return `Step ${event.step_number} completed by ${event.agent_name}.`;
    case "step.failed":
      return `Step ${event.step_number} failed: ${event.error}`;
    case "step.skipped":
      return `Step ${event.step_number} skipped.`;
    case "plan.proposed":
      return "The plan awaits a person's approval (POST /api/tasks/{id}/approve).";
    case "plan.approved":
      return "Plan approved.";
    case "step.input_required":
      return `Step ${event.step_number}: ${event.agent_name} asks: ${event.question} ` +
        "(answer with POST /api/tasks/{id}/input).";
    case "step.input_received":
      return `Step ${event.step_number} got its answer.`;
    case "task.completed":
      return "Task completed.";
    case "task.failed":
      return `Task failed: ${event.error}`;
    case "task.cancelled":
      return "Task cancelled.";
    default:
      return undefined;
  }
}

/** Whether the event ends a step (the unit MCP progress counts). */
export function endsStep(event: TaskEventMessage): boolean {
  return event.type === "step.completed" || event.type === "step.failed" ||
    event.type === "step.skipped" || event.type === "step.cancelled";
}
