/**
 * The task lifecycle's vocabulary, shared by the orchestrator (which writes it), its API contract
 * (`/openapi.json`, the SSE stream) and the UI (which reads it): the task and step states, and
 * every event a task's log can hold, one zod schema per event type. An event is made only with
 * `taskEvent(type, data)`, so a misspelt type or a missing field is a compile error.
 */
import { z } from "zod";

export const TASK_STATUSES = [
  "pending",
  "planning",
  "executing",
  /** Planned, waiting for a person to approve, edit or reject the plan (issue 15). */
  "awaiting_approval",
  /** A step's agent asked a question; the task waits for the answer, holding no lease. */
  "input_required",
  /** Submitted with `if_busy: "enqueue"`: waits for the session's earlier tasks to end. */
  "queued",
  "completed",
  "failed",
  "cancelled",
] as const;
export type TaskStatus = typeof TASK_STATUSES[number];
export const FINISHED_TASK_STATUSES: readonly TaskStatus[] = ["completed", "failed", "cancelled"];

export const STEP_STATUSES = [
  "pending",
  "running",
  /** Its agent asked a question (`question`); it goes on when the answer comes. */
  "input_required",
  "completed",
  "failed",
  "skipped",
  "cancelled",
] as const;
export type StepStatus = typeof STEP_STATUSES[number];

const json = z.record(z.string(), z.unknown());
const stepNumber = z.number().int().positive();
const agentId = z.number().int().nullable();

/** Who made a change (a user id, "admin" for API_KEY, "anonymous" on an open service). */
const actor = z.string().optional();

/** Each event type and the data it carries. */
export const TaskEventData = {
  "task.created": z.object({ status: z.enum(TASK_STATUSES), plan: json, actor }),
  "plan.fallback": z.object({ planner: z.literal("deterministic"), reason: z.string() }),
  "task.started": z.object({
    status: z.literal("executing"),
    owner: z.string(),
    attempt: z.number().int(),
  }),
  "task.resumed": z.object({
    status: z.literal("executing"),
    owner: z.string(),
    attempt: z.number().int(),
  }),
  "step.started": z.object({
    step_number: stepNumber,
    agent_id: agentId,
    agent_name: z.string().nullable(),
  }),
  "step.retry": z.object({
    step_number: stepNumber,
    agent_id: z.number().int(),
    attempt: z.number().int(),
    error: z.string(),
    delay_ms: z.number().int(),
  }),
  "step.fallback": z.object({
    step_number: stepNumber,
    agent_id: z.number().int(),
    agent_name: z.string(),
    reason: z.string(),
  }),
  "step.completed": z.object({
    step_number: stepNumber,
    agent_id: z.number().int(),
    agent_name: z.string(),
    output: json,
  }),
  "step.failed": z.object({ step_number: stepNumber, error: z.string() }),
  "step.skipped": z.object({ step_number: stepNumber }),
  "step.cancelled": z.object({ step_number: stepNumber }),
  "task.completed": z.object({ status: z.literal("completed"), result: json }),
  "task.failed": z.object({ status: z.literal("failed"), error: z.string() }),
  /** `reason`: why, when not a plain cancel (a rejected plan, an approval that timed out). */
  "task.cancelled": z.object({
    status: z.literal("cancelled"),
    actor,
    reason: z.string().optional(),
  }),
  /** The plan waits for approval (`require_approval`); no agent is called before. */
  "plan.proposed": z.object({ status: z.literal("awaiting_approval"), plan: json }),
  /** Approved as proposed, or `edited` (then `plan` is the approved one). */
  "plan.approved": z.object({ edited: z.boolean(), plan: json, actor }),
  "plan.rejected": z.object({ reason: z.string(), actor }),
  /**
   * A step's agent asked something (A2A input-required, or auth-required: `kind`); the step
   * keeps the agent's A2A task to resume.
   */
  "step.input_required": z.object({
    step_number: stepNumber,
    agent_id: z.number().int(),
    agent_name: z.string(),
    question: z.string(),
    kind: z.enum(["input", "auth"]),
  }),
  /** The task waits for answers: it holds no lease until one comes. */
  "task.input_required": z.object({
    status: z.literal("input_required"),
    steps: z.array(stepNumber),
  }),
  "step.input_received": z.object({ step_number: stepNumber, text: z.string(), actor }),
  /** A queued task's turn came: planned again with the session's latest answers in view. */
  "task.dequeued": z.object({ status: z.enum(TASK_STATUSES), plan: json }),
  /** A failed or cancelled task queued again: `steps` run anew, the completed ones are kept. */
  "task.retried": z.object({ status: z.literal("pending"), steps: z.array(stepNumber), actor }),
  /**
   * What a running step's agent streamed since the last one (coalesced: one event for many
   * chunks): its latest status message, and the text its artifacts added.
   */
  "step.progress": z.object({
    step_number: stepNumber,
    agent_id: z.number().int(),
    status: z.string().nullable(),
    text: z.string(),
  }),
  /**
   * A finished step took the task past its budget: no further step starts, and the task fails
   * (`task.failed` follows) with what it spent kept.
   */
  "budget.exceeded": z.object({
    step_number: stepNumber.nullable(),
    budget: z.object({
      max_tokens: z.number().int().positive().optional(),
      max_cost_usd: z.number().positive().optional(),
    }),
    spent: z.object({
      input_tokens: z.number().int(),
      output_tokens: z.number().int(),
      total_tokens: z.number().int(),
      cost_usd: z.number().nullable(),
    }),
  }),
  "webhook.failed": z.object({
    delivery_id: z.string(),
    event: z.string(),
    url: z.string(),
    attempts: z.number().int(),
    error: z.string(),
  }),
} as const;

export type TaskEventType = keyof typeof TaskEventData;
export const TASK_EVENT_TYPES = Object.keys(TaskEventData) as TaskEventType[];
export type TaskEventDataOf<T extends TaskEventType> = z.infer<typeof TaskEventData[T]>;

/** The events after which nothing more happens to a task: a stream ends with one of these. */
export const TERMINAL_EVENT_TYPES = ["task.completed", "task.failed", "task.cancelled"] as const;
export type TerminalEventType = typeof TERMINAL_EVENT_TYPES[number];
export const isTerminalEvent = (type: string): type is TerminalEventType =>
  (TERMINAL_EVENT_TYPES as readonly string[]).includes(type);

/**
 * The events a webhook may ask for (the default: the task's end). Some belong to states other
 * features bring (`plan.proposed`, `step.input_required`): asked for, they are sent once those
 * events exist.
 */
export const WEBHOOK_EVENT_TYPES = [
  "task.completed",
  "task.failed",
  "task.cancelled",
  "plan.proposed",
  "step.input_required",
  "step.completed",
] as const;
export type WebhookEventType = typeof WEBHOOK_EVENT_TYPES[number];
export const DEFAULT_WEBHOOK_EVENTS: readonly WebhookEventType[] = TERMINAL_EVENT_TYPES;
export const isWebhookEvent = (type: string): type is WebhookEventType =>
  (WEBHOOK_EVENT_TYPES as readonly string[]).includes(type);

/** An event about to be written: its type and its data, checked against each other. */
export type NewTaskEvent = {
  [T in TaskEventType]: { type: T; data: TaskEventDataOf<T> };
}[TaskEventType];

/** The one way an event is made. */
export function taskEvent<T extends TaskEventType>(
  type: T,
  data: TaskEventDataOf<T>,
): NewTaskEvent {
  return { type, data } as NewTaskEvent;
}

/** An event as the log stores it and the API gives it out. */
export const TaskEvent = z.discriminatedUnion(
  "type",
  TASK_EVENT_TYPES.map((type) =>
    z.object({
      id: z.number().int(),
      task_id: z.number().int(),
      type: z.literal(type),
      data: TaskEventData[type],
      created_at: z.string(),
    })
  ) as unknown as [
    z.ZodObject<{ type: z.ZodLiteral<TaskEventType> }>,
    ...z.ZodObject<{ type: z.ZodLiteral<TaskEventType> }>[],
  ],
);
export type TaskEvent = NewTaskEvent & { id: number; task_id: number; created_at: string };

/**
 * An event as one SSE message's `data` carries it: the event's own fields flattened beside its
 * type, task and time (the SSE `id` is the event's id, `event` its type).
 */
export type TaskEventMessage = {
  [T in TaskEventType]: TaskEventDataOf<T> & { type: T; task_id: number; created_at: string };
}[TaskEventType];

export const TaskEventMessage = z.discriminatedUnion(
  "type",
  TASK_EVENT_TYPES.map((type) =>
    TaskEventData[type].extend({
      type: z.literal(type),
      task_id: z.number().int(),
      created_at: z.string(),
    })
  ) as unknown as [
    z.ZodObject<{ type: z.ZodLiteral<TaskEventType> }>,
    ...z.ZodObject<{ type: z.ZodLiteral<TaskEventType> }>[],
  ],
);

/** The SSE message of a stored event. */
export function toEventMessage(event: TaskEvent): TaskEventMessage {
  return {
    ...event.data,
    type: event.type,
    task_id: event.task_id,
    created_at: event.created_at,
  } as TaskEventMessage;
}
