/**
 * The tables, declared once: every column is named here and only here. JSON columns hold JSON
 * text on both databases (so what is written is exactly what is read back, key order and all)
 * and are declared as `JsonColumn<T>`, T being what the text parses to; the parsed row types
 * of types.ts and the codecs of rows.ts derive from these. Timestamps travel as ISO-8601 UTC
 * strings.
 */
import type { ColumnType, Generated } from "kysely";
import type { StepStatus, TaskStatus } from "@app/lib/task_events";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export {
  AGENT_STATUSES,
  AGENT_TYPES,
  type AgentStatus,
  type AgentType,
  MESSAGE_ROLES,
  type MessageRole,
} from "@app/lib/api_contract";
import type { AgentStatus, AgentType, MessageRole } from "@app/lib/api_contract";

declare const parsesTo: unique symbol;
/** JSON text as selected, remembering (in its type only) what it parses to. */
export type JsonText<T> = string & { readonly [parsesTo]: T };
/** A JSON column: selected as `JsonText<T>`, written as any string (see `toJson`). */
export type JsonColumn<T> = ColumnType<JsonText<T>, string, string>;
/** A column holding one of a set of strings: selected as that union, written as a string. */
export type OneOf<T extends string> = ColumnType<T, string, string>;

export interface AgentsTable {
  id: Generated<number>;
  name: string;
  description: string;
  agent_type: OneOf<AgentType>;
  endpoint: string;
  capabilities: JsonColumn<string[]>;
  status: OneOf<AgentStatus>;
  config: JsonColumn<JsonObject>;
  metadata: JsonColumn<JsonObject>;
  last_seen_at: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface SessionsTable {
  id: Generated<number>;
  session_id: string;
  user_id: string;
  metadata: JsonColumn<JsonObject>;
  created_at: string;
  updated_at: string;
}

export interface MessagesTable {
  id: Generated<number>;
  session_id: string;
  role: OneOf<MessageRole>;
  content: string;
  task_id: number | null;
  metadata: JsonColumn<JsonObject>;
  created_at: string;
}

export interface TasksTable {
  id: Generated<number>;
  session_id: string;
  user_id: string;
  description: string;
  status: OneOf<TaskStatus>;
  plan: JsonColumn<JsonObject>;
  result: JsonColumn<JsonObject>;
  metadata: JsonColumn<JsonObject>;
  error: string | null;
  lease_owner: string | null;
  lease_expires_at: string | null;
  attempts: number;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
}

export interface TaskStepsTable {
  id: Generated<number>;
  task_id: number;
  step_number: number;
  description: string;
  capability: string;
  agent_id: number | null;
  /** The agent's name when it ran the step: kept after the agent is removed. */
  agent_name: string | null;
  dependencies: JsonColumn<number[]>;
  status: OneOf<StepStatus>;
  input_data: JsonColumn<JsonObject>;
  output_data: JsonColumn<JsonObject>;
  error: string | null;
  attempts: number;
  started_at: string | null;
  completed_at: string | null;
  /** What the step's agent asked (A2A input-required), while it waits or after. */
  question: string | null;
  /** The agent's A2A task and context the answer goes to. */
  agent_task_id: string | null;
  agent_context_id: string | null;
  /** An answer received and not yet sent to the agent. */
  answer: string | null;
  /** Answers sent so far (each call gets its own idempotency key). */
  answers: Generated<number>;
}

/** `type` and `data` agree row by row (see `@app/lib/task_events`), which a column cannot say. */
export interface TaskEventsTable {
  id: Generated<number>;
  task_id: number;
  type: string;
  data: JsonColumn<JsonObject>;
  created_at: string;
}

/** A client's idempotency key for a task submission; `response` is set once the task is stored. */
export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  fingerprint: string;
  task_id: number | null;
  response: JsonColumn<JsonObject> | null;
  created_at: string;
  locked_until: string;
  expires_at: string;
}

/** A built-in agent's answer to a call with an idempotency key; `answer` is null while it works. */
export interface AgentAnswersTable {
  agent: string;
  key: string;
  answer: JsonColumn<Json> | null;
  created_at: string;
  locked_until: string;
  expires_at: string;
}

/** A task's webhook: where to POST, and which of its events. */
export interface TaskWebhooksTable {
  task_id: number;
  url: string;
  events: JsonColumn<string[]>;
}

export const WEBHOOK_DELIVERY_STATUSES = ["pending", "delivered", "failed"] as const;
export type WebhookDeliveryStatus = typeof WEBHOOK_DELIVERY_STATUSES[number];

/** The webhook outbox: one delivery of one event to one URL, retried until done or given up. */
export interface WebhookDeliveriesTable {
  id: Generated<number>;
  delivery_id: string;
  task_id: number;
  event: string;
  url: string;
  event_created_at: string;
  status: OneOf<WebhookDeliveryStatus>;
  attempts: number;
  next_attempt_at: string;
  lease_owner: string | null;
  lease_until: string | null;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
}

/** A user's API key: only its SHA-256 is kept; `revoked_at` set means it no longer works. */
export interface ApiKeysTable {
  id: Generated<number>;
  user_id: string;
  role: OneOf<"admin" | "user">;
  key_hash: string;
  prefix: string;
  created_by: string;
  created_at: string;
  revoked_at: string | null;
}

/** A change that is not a task's (an agent registered, a key revoked) and who made it. */
export interface AuditEventsTable {
  id: Generated<number>;
  actor: string;
  action: string;
  subject: string;
  data: JsonColumn<JsonObject>;
  created_at: string;
}

/** What the orchestrator sends to an external agent on every call; never read by the API. */
export interface AgentCredentialsTable {
  agent_id: number;
  header: string;
  scheme: string;
  secret: string;
}

/** Tokens an LLM server reported for a step (or, `step_number` null, a task's planning). */
export interface LlmUsageTable {
  id: Generated<number>;
  task_id: number;
  session_id: string;
  step_number: number | null;
  agent_id: number | null;
  agent_name: string | null;
  model: string;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number | null;
  created_at: string;
}

/** What a task carries beside its state, when it has any: its budget and trace context. */
export interface TaskContextTable {
  task_id: number;
  budget: JsonColumn<JsonObject> | null;
  traceparent: string | null;
}

/** A LangGraph checkpoint of the built-in A2A agent's graph (a thread is an A2A task). */
export interface LanggraphCheckpointsTable {
  thread_id: string;
  checkpoint_ns: string;
  checkpoint_id: string;
  parent_checkpoint_id: string | null;
  /** The serialiser's type of `checkpoint` and `metadata` ("json"). */
  type: string;
  checkpoint: Uint8Array;
  metadata: Uint8Array;
  created_at: string;
}

/** A write of a task at a checkpoint, pending until the next checkpoint is saved. */
export interface LanggraphCheckpointWritesTable {
  thread_id: string;
  checkpoint_ns: string;
  checkpoint_id: string;
  task_id: string;
  idx: number;
  channel: string;
  type: string;
  value: Uint8Array;
  task_path: string;
}

export interface Database {
  agents: AgentsTable;
  sessions: SessionsTable;
  messages: MessagesTable;
  tasks: TasksTable;
  task_steps: TaskStepsTable;
  task_events: TaskEventsTable;
  idempotency_keys: IdempotencyKeysTable;
  agent_answers: AgentAnswersTable;
  task_webhooks: TaskWebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  api_keys: ApiKeysTable;
  audit_events: AuditEventsTable;
  agent_credentials: AgentCredentialsTable;
  llm_usage: LlmUsageTable;
  task_context: TaskContextTable;
  langgraph_checkpoints: LanggraphCheckpointsTable;
  langgraph_checkpoint_writes: LanggraphCheckpointWritesTable;
}
