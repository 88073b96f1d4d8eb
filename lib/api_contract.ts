/**
 * The orchestrator's HTTP API as zod schemas: every response body, named as an OpenAPI component.
 * The orchestrator's routes declare them (so a view that drifts from them is a type error) and
 * the UI imports their inferred types (`import type`: no zod reaches the browser).
 */
import { z } from "zod";
import {
  STEP_STATUSES,
  TASK_STATUSES,
  TaskEventMessage as EventMessage,
  type TaskEventMessage as EventMessageType,
} from "./task_events.ts";

export const AGENT_TYPES = ["a2a_server", "api", "langgraph", "mcp"] as const;
export const AGENT_STATUSES = ["active", "inactive", "error"] as const;
export const MESSAGE_ROLES = ["user", "assistant", "system", "agent"] as const;

/** A JSON object of any shape (stored as given: metadata, config, step input and output). */
const JsonObject = z.record(z.string(), z.unknown());
const id = z.number().int();
/** ISO-8601 UTC, as every timestamp of the API. */
const timestamp = z.string().meta({ format: "date-time", example: "2026-01-01T12:00:00.000Z" });

export const TaskStatus = z.enum(TASK_STATUSES).meta({ id: "TaskStatus" });
export const StepStatus = z.enum(STEP_STATUSES).meta({ id: "StepStatus" });
export const AgentType = z.enum(AGENT_TYPES).meta({ id: "AgentType" });
export const AgentStatus = z.enum(AGENT_STATUSES).meta({ id: "AgentStatus" });
export const MessageRole = z.enum(MESSAGE_ROLES).meta({ id: "MessageRole" });

export const PlanStep = z.object({
  step_number: z.number().int().positive(),
  description: z.string().min(1),
  capability: z.string().min(1),
  agent_id: id.nullable(),
  agent_name: z.string().nullable(),
  dependencies: z.array(z.number().int().positive()),
  expected_output: z.string(),
  input: JsonObject.optional().meta({
    description: "arguments for a step done by a tool (an MCP agent's), checked against its " +
      "input schema",
  }),
}).meta({ id: "PlanStep" });

export const Plan = z.object({
  steps: z.array(PlanStep).min(1),
  complexity: z.enum(["low", "medium", "high"]),
  estimated_duration: z.number().int().nonnegative().meta({ description: "seconds, roughly" }),
  planner: z.enum(["deterministic", "llm"]),
}).meta({ id: "Plan" });

/** `201` of `POST /api/tasks`. */
export const CreatedTask = z.object({
  task_id: id,
  session_id: z.string(),
  status: TaskStatus,
  plan: Plan,
  created_at: timestamp,
}).meta({ id: "CreatedTask" });

/** Tokens an LLM server reported and what they cost (null: no price known for the model). */
export const Usage = z.object({
  input_tokens: z.number().int(),
  output_tokens: z.number().int(),
  total_tokens: z.number().int(),
  model: z.string().nullable().meta({ description: "the model(s), comma-separated" }),
  cost_usd: z.number().nullable(),
}).meta({ id: "Usage" });

/** A sum of usage: a task's, a session's, an agent's. */
export const UsageTotals = z.object({
  input_tokens: z.number().int(),
  output_tokens: z.number().int(),
  total_tokens: z.number().int(),
  cost_usd: z.number().nullable(),
}).meta({ id: "UsageTotals" });

export const TaskUsage = UsageTotals.extend({
  planning: Usage.nullable().meta({ description: "the planner's own LLM calls" }),
}).meta({ id: "TaskUsage" });

export const Budget = z.object({
  max_tokens: z.number().int().positive().optional(),
  max_cost_usd: z.number().positive().optional(),
}).meta({ id: "Budget" });

export const StepView = z.object({
  step_number: z.number().int().positive(),
  description: z.string(),
  capability: z.string(),
  agent_id: id.nullable(),
  agent_name: z.string().nullable(),
  dependencies: z.array(z.number().int().positive()),
  status: StepStatus,
  attempts: z.number().int(),
  input_data: JsonObject,
  output_data: JsonObject,
  error: z.string().nullable(),
  started_at: timestamp.nullable(),
  completed_at: timestamp.nullable(),
  usage: Usage.nullable().optional().meta({ description: "the LLM work the step caused" }),
  question: z.string().nullable().optional().meta({
    description: "what the step's agent asked (status input_required: answer with " +
      "POST /api/tasks/{id}/input)",
  }),
}).meta({ id: "StepView" });

/**
 * Empty until the task ends. A completed task's summary comes from its final steps; a failed
 * task's result repeats its error, where the original's clients look for it.
 */
export const TaskResult = z.object({
  summary: z.string().optional(),
  insights: z.array(z.string()).optional(),
  step_outputs: z.record(z.string(), JsonObject).optional()
    .meta({ description: "each step's output, by step number" }),
  offline: z.boolean().optional(),
  error: z.string().optional(),
}).catchall(z.unknown()).meta({ id: "TaskResult" });

export const TaskView = z.object({
  id,
  task_id: id.meta({ description: "the same as id, as `POST /api/tasks` names it" }),
  session_id: z.string(),
  user_id: z.string(),
  description: z.string(),
  status: TaskStatus,
  plan: Plan,
  result: TaskResult,
  error: z.string().nullable(),
  metadata: JsonObject,
  attempts: z.number().int(),
  steps: z.array(StepView).meta({ description: "empty in lists" }),
  created_at: timestamp,
  updated_at: timestamp,
  completed_at: timestamp.nullable(),
  usage: TaskUsage.optional().meta({ description: "steps and planning (not in lists)" }),
  budget: Budget.nullable().optional(),
  trace_id: z.string().nullable().optional()
    .meta({ description: "the task's OpenTelemetry trace, when tracing is on" }),
  trace_url: z.string().nullable().optional()
    .meta({ description: "TRACE_URL_TEMPLATE with the trace id, when both are set" }),
}).meta({ id: "TaskView" });

export const Agent = z.object({
  id,
  name: z.string(),
  description: z.string(),
  agent_type: AgentType,
  endpoint: z.string(),
  capabilities: z.array(z.string()),
  status: AgentStatus,
  config: JsonObject,
  metadata: JsonObject,
  last_seen_at: timestamp.nullable(),
  last_error: z.string().nullable(),
  created_at: timestamp,
  updated_at: timestamp,
}).meta({ id: "Agent" });

export const AgentUsage = UsageTotals.extend({
  agent_id: id,
  agent_name: z.string().nullable(),
}).meta({ id: "AgentUsage" });

export const AgentStats = z.object({
  total: z.number().int(),
  active: z.number().int(),
  inactive: z.number().int(),
  error: z.number().int(),
  by_type: z.record(z.string(), z.number().int()),
  usage_by_agent: z.array(AgentUsage).optional()
    .meta({ description: "LLM usage of the steps each agent ran" }),
}).meta({ id: "AgentStats" });

/** How an agent's steps went (the agents page): a bounded window of its newest steps. */
export const AgentCalls = z.object({
  agent_id: id,
  calls: z.number().int().meta({ description: "finished steps run on it (retries count once)" }),
  succeeded: z.number().int(),
  failed: z.number().int(),
  success_rate: z.number().nullable().meta({ description: "succeeded / calls, 0..1" }),
  p50_ms: z.number().nullable().meta({ description: "median time of its completed steps" }),
  p95_ms: z.number().nullable(),
  last_error: z.string().nullable().meta({ description: "its newest failed step's error" }),
}).meta({ id: "AgentCalls" });

export const AgentHealth = z.object({
  agent_id: id,
  name: z.string(),
  healthy: z.boolean(),
  status: AgentStatus,
  last_seen_at: timestamp.nullable(),
  last_error: z.string().nullable(),
}).meta({ id: "AgentHealth" });

export const AgentDeleted = z.object({ deleted: z.literal(true), id }).meta({ id: "AgentDeleted" });

export const Session = z.object({
  id,
  session_id: z.string(),
  user_id: z.string(),
  metadata: JsonObject,
  created_at: timestamp,
  updated_at: timestamp,
  message_count: z.number().int(),
  last_activity: timestamp.nullable().meta({ description: "when its last message was added" }),
}).meta({ id: "Session" });

export const Message = z.object({
  id,
  session_id: z.string(),
  role: MessageRole,
  content: z.string(),
  task_id: id.nullable(),
  metadata: JsonObject,
  created_at: timestamp,
}).meta({ id: "Message" });

export const SessionDetail = Session.extend({
  messages: z.array(Message).meta({ description: "the most recent 200, oldest first" }),
  usage: UsageTotals.optional().meta({ description: "all its tasks' LLM usage" }),
}).meta({ id: "SessionDetail" });

export const SessionDeleted = z.object({ deleted: z.literal(true), session_id: z.string() })
  .meta({ id: "SessionDeleted" });

export const Health = z.object({
  status: z.enum(["healthy", "degraded"]),
  service: z.literal("orchestrator"),
  database: z.string().meta({ description: '"ok", or why it is unavailable' }),
  llm_provider: z.string(),
  running_tasks: z.number().int(),
}).meta({ id: "Health" });

/** One SSE message's `data` on `GET /api/tasks/{id}/events` (its `event` is the type). */
export const TaskEventMessage = EventMessage.meta({
  id: "TaskEventMessage",
}) as unknown as z.ZodType<EventMessageType>;

export const ApiError = z.object({
  error: z.object({
    code: z.string().meta({ example: "validation_failed" }),
    message: z.string(),
    details: z.array(
      z.object({ field: z.string().optional(), message: z.string() }).catchall(z.unknown()),
    ).optional().meta({ description: "for bad input: each offending field" }),
  }),
}).meta({ id: "Error" });

export const Role = z.enum(["admin", "user"]).meta({ id: "Role" });

/** A user's API key as lists show it: never the key, never its hash. */
export const ApiKey = z.object({
  id,
  user_id: z.string(),
  role: Role,
  prefix: z.string().meta({ description: "the key's first characters, to tell keys apart" }),
  created_by: z.string(),
  created_at: timestamp,
  revoked_at: timestamp.nullable(),
}).meta({ id: "ApiKey" });

/** `201` of `POST /api/keys`: the only time the key itself is shown. */
export const CreatedApiKey = ApiKey.extend({
  key: z.string().meta({ description: "send as Authorization: Bearer <key>; shown only now" }),
}).meta({ id: "CreatedApiKey" });

export const ApiKeyRevoked = z.object({ revoked: z.literal(true), id })
  .meta({ id: "ApiKeyRevoked" });

/** Who the caller is, as the orchestrator authenticated them. */
export const Me = z.object({
  user_id: z.string(),
  role: Role,
  via: z.enum(["key", "jwt", "open"]).meta({ description: '"open": no authentication is set up' }),
}).meta({ id: "Me" });

/** A change that is not a task's (agents, keys, sessions) and who made it. */
export const AuditEvent = z.object({
  id,
  actor: z.string(),
  action: z.string().meta({ example: "agent.registered" }),
  subject: z.string().meta({ example: "agent 3" }),
  data: JsonObject,
  created_at: timestamp,
}).meta({ id: "AuditEvent" });

export type TaskStatus = z.infer<typeof TaskStatus>;
export type StepStatus = z.infer<typeof StepStatus>;
export type AgentType = z.infer<typeof AgentType>;
export type AgentStatus = z.infer<typeof AgentStatus>;
export type MessageRole = z.infer<typeof MessageRole>;
export type PlanStep = z.infer<typeof PlanStep>;
export type Plan = z.infer<typeof Plan>;
export type CreatedTask = z.infer<typeof CreatedTask>;
export type StepView = z.infer<typeof StepView>;
export type Usage = z.infer<typeof Usage>;
export type UsageTotals = z.infer<typeof UsageTotals>;
export type TaskUsage = z.infer<typeof TaskUsage>;
export type Budget = z.infer<typeof Budget>;
export type AgentUsage = z.infer<typeof AgentUsage>;
export type TaskResult = z.infer<typeof TaskResult>;
export type TaskView = z.infer<typeof TaskView>;
export type Agent = z.infer<typeof Agent>;
export type AgentStats = z.infer<typeof AgentStats>;
export type AgentHealth = z.infer<typeof AgentHealth>;
export type AgentCalls = z.infer<typeof AgentCalls>;
export type AgentDeleted = z.infer<typeof AgentDeleted>;
export type Session = z.infer<typeof Session>;
export type Message = z.infer<typeof Message>;
export type SessionDetail = z.infer<typeof SessionDetail>;
export type SessionDeleted = z.infer<typeof SessionDeleted>;
export type Health = z.infer<typeof Health>;
export type ApiError = z.infer<typeof ApiError>;
/** Typed by hand in task_events: zod cannot infer a union built from a list. */
export type TaskEventMessage = EventMessageType;
export type { TaskEventType } from "./task_events.ts";
export type Role = z.infer<typeof Role>;
export type ApiKey = z.infer<typeof ApiKey>;
export type CreatedApiKey = z.infer<typeof CreatedApiKey>;
export type Me = z.infer<typeof Me>;
export type AuditEvent = z.infer<typeof AuditEvent>;
