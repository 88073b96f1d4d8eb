/**
 * Request schemas of the orchestrator's API (one zod definition feeds validation and /docs), and
 * the helpers that declare a route's responses from the contract in `@app/lib/api_contract`.
 */
import { z } from "@hono/zod-openapi";
import { AGENT_STATUSES, AGENT_TYPES, isCursor, MESSAGE_ROLES, TASK_STATUSES } from "@app/db";
import { DEFAULT_WEBHOOK_EVENTS, WEBHOOK_EVENT_TYPES } from "@app/lib/task_events";
import { ApiError } from "@app/lib/api_contract";

/** Text the databases can store: Postgres refuses NUL in text columns. */
const text = (max: number) =>
  z.string().max(max).refine((s) => !s.includes("\u0000"), "must not contain NUL characters");

/** A time in any form Date reads, stored as the databases compare it: ISO 8601 in UTC. */
const isoTime = text(40).refine((s) => !Number.isNaN(Date.parse(s)), "is not a date or time")
  .transform((s) => new Date(s).toISOString());

// `any` so a parsed object is assignable to the repositories' JSON types.
const jsonObject = z.record(z.string(), z.any());

/** Where to POST a task's events as they happen, and which (default: the task's end). */
export const WebhookBody = z.object({
  url: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).max(2_000)
    .refine((u) => {
      const parsed = URL.parse(u);
      return !parsed?.username && !parsed?.password;
    }, "must not carry credentials"),
  events: z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1).max(WEBHOOK_EVENT_TYPES.length)
    .refine((e) => new Set(e).size === e.length, "must not repeat an event")
    .default([...DEFAULT_WEBHOOK_EVENTS]),
}).openapi("Webhook", {
  example: { url: "https://example.com/hooks/tasks", events: ["task.completed", "task.failed"] },
});

/** What a submit does when its session is busy (LangGraph's double-texting options). */
export const IF_BUSY = ["parallel", "enqueue", "reject", "interrupt"] as const;

export const CreateTaskBody = z.object({
  description: text(20_000).trim().min(1, "must not be empty"),
  user_id: text(200).trim().min(1).optional(),
  session_id: text(200).trim().min(1).optional(),
  metadata: jsonObject.optional(),
  webhook: WebhookBody.optional(),
  budget: z.strictObject({
    max_tokens: z.number().int().positive().optional(),
    max_cost_usd: z.number().positive().finite().optional(),
  }).refine((b) => b.max_tokens !== undefined || b.max_cost_usd !== undefined, {
    message: "give max_tokens, max_cost_usd or both",
  }).optional().openapi({
    description: "When a finished step takes the task past it, no further step starts and the " +
      "task fails (event budget.exceeded); default: DEFAULT_TASK_BUDGET_TOKENS",
    example: { max_tokens: 20_000, max_cost_usd: 0.05 },
  }),
  require_approval: z.boolean().optional().openapi({
    description: "plan, then wait for approval before any agent is called " +
      "(default: REQUIRE_PLAN_APPROVAL)",
  }),
  if_busy: z.enum(IF_BUSY).optional().openapi({
    description: "when the session has a task that has not ended: run beside it (parallel, " +
      "the default), start when it has ended (enqueue), refuse with 409 (reject), or cancel " +
      "it and start (interrupt)",
  }),
}).openapi("CreateTask", {
  example: { description: "Research recent AI developments", user_id: "test_user" },
});

export const ListTasksQuery = z.object({
  session_id: text(200).optional(),
  status: z.enum(TASK_STATUSES).optional(),
  agent_id: z.coerce.number().int().positive().optional()
    .openapi({ description: "only tasks with a step on this agent" }),
  since: isoTime.optional().openapi({ description: "created at or after (ISO 8601)" }),
  until: isoTime.optional().openapi({ description: "created before (ISO 8601)" }),
  q: text(200).trim().optional().openapi({ description: "words the description contains" }),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: text(500).refine(isCursor, "is not a cursor this API returned").optional(),
});

export const EventsQuery = z.object({
  after: z.string().optional().openapi({
    description: "replay only events after this id (the Last-Event-ID header wins)",
  }),
});

export const IdParam = z.object({
  id: z.coerce.number().int().positive().openapi({ param: { name: "id", in: "path" }, example: 1 }),
});

export const SessionIdParam = z.object({
  session_id: text(200).openapi({ param: { name: "session_id", in: "path" } }),
});

/** What the orchestrator sends to an agent on every call; write-only (never in an answer). */
const AgentCredentials = z.union([
  z.strictObject({ token: text(4_096).min(1) }).openapi({
    description: "sent as Authorization: Bearer <token>",
  }),
  z.strictObject({
    header: z.string().regex(/^[A-Za-z0-9-]{1,100}$/, "must be an HTTP header name"),
    value: text(4_096).min(1),
  }).openapi({ description: "sent as <header>: <value>" }),
]).openapi("AgentCredentials");

const agentType = z.preprocess(
  (v) => (typeof v === "string" ? v.trim().toLowerCase() : v),
  z.enum(AGENT_TYPES),
);

export const RegisterAgentBody = z.object({
  name: text(200).trim().min(1).optional(),
  description: text(5_000).optional(),
  agent_type: agentType.optional(),
  endpoint: z.url({ protocol: /^https?$/ }).optional(),
  url: z.url({ protocol: /^https?$/ }).optional(),
  capabilities: z.array(text(100).trim().min(1)).max(100).optional(),
  config: jsonObject.optional(),
  metadata: jsonObject.optional(),
  credentials: AgentCredentials.optional(),
}).refine((b) => b.endpoint || b.url, {
  message: "give the agent's endpoint (or url)",
  path: ["endpoint"],
}).refine((b) => (b.endpoint && b.url) ? b.endpoint === b.url : true, {
  message: "endpoint and url differ; give one",
  path: ["url"],
}).refine((b) => b.name || (b.agent_type ?? "a2a_server") !== "langgraph" || b.capabilities, {
  message: "a langgraph agent needs a name and capabilities",
  path: ["name"],
}).openapi("RegisterAgent", {
  example: {
    name: "ResearchAgent",
    description: "AI research assistant",
    agent_type: "a2a_server",
    endpoint: "http://localhost:8001",
    capabilities: ["research", "analysis"],
  },
});

export const UpdateAgentBody = z.object({
  name: text(200).trim().min(1).optional(),
  description: text(5_000).optional(),
  agent_type: agentType.optional(),
  endpoint: z.url({ protocol: /^https?$/ }).optional(),
  capabilities: z.array(text(100).trim().min(1)).max(100).optional(),
  status: z.enum(AGENT_STATUSES).optional(),
  config: jsonObject.optional(),
  metadata: jsonObject.optional(),
  /** Replaces the agent's credentials; null removes them. */
  credentials: AgentCredentials.nullable().optional(),
});

export const ListAgentsQuery = z.object({
  capability: text(100).optional(),
  status: z.enum(AGENT_STATUSES).optional(),
});

export const CreateSessionBody = z.object({
  user_id: text(200).trim().min(1).optional(),
  metadata: jsonObject.optional(),
});

export const CreateSessionQuery = z.object({ user_id: text(200).trim().min(1).optional() });

export const ListSessionsQuery = z.object({
  user_id: text(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: text(500).refine(isCursor, "is not a cursor this API returned").optional(),
});

export const AddMessageBody = z.object({
  role: z.enum(MESSAGE_ROLES),
  content: text(100_000),
  task_id: z.number().int().positive().optional(),
  metadata: jsonObject.optional(),
});

export const ListMessagesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

export const CreateKeyBody = z.object({
  user_id: text(200).trim().min(1),
  role: z.enum(["admin", "user"]).default("user"),
}).openapi("CreateKey", { example: { user_id: "alice", role: "user" } });

export const AuditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** A JSON response: documented by its schema in /openapi.json, and the handler's type. */
export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

const ERROR_DESCRIPTIONS = {
  400: "The body is not JSON",
  401: "A missing, wrong, revoked or expired key or token (when authentication is set up)",
  403: "Only an admin may do this",
  404: "No such resource",
  409: "A conflict, such as a name already taken",
  413: "The body is larger than MAX_BODY_BYTES",
  422: "Invalid input; details name each field",
  429: "Too many task submissions; Retry-After says when to try again",
  503: "The database is unavailable; Retry-After says when to try again",
} as const;
type ErrorStatus = keyof typeof ERROR_DESCRIPTIONS;

/** The error envelope for the given statuses, plus 401 and 503, which any /api route may answer. */
export function errorResponses<S extends ErrorStatus>(...statuses: S[]) {
  const responses = {} as Record<S | 401 | 503, ReturnType<typeof jsonResponse<typeof ApiError>>>;
  for (const status of [...statuses, 401, 503] as (S | 401 | 503)[]) {
    responses[status] = jsonResponse(ApiError, ERROR_DESCRIPTIONS[status]);
  }
  return responses;
}

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  body: { content: { "application/json": { schema } }, required: true },
});
