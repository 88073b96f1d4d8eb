/**
 * The shapes repositories hand out, derived from the tables of schema.ts: JSON columns parsed,
 * timestamps as ISO-8601 UTC strings.
 */
import type { Selectable } from "kysely";
import type {
  AgentsTable,
  JsonText,
  MessagesTable,
  SessionsTable,
  TasksTable,
  TaskStepsTable,
} from "./schema.ts";

export {
  AGENT_STATUSES,
  AGENT_TYPES,
  type AgentStatus,
  type AgentType,
  type Json,
  type JsonObject,
  MESSAGE_ROLES,
  type MessageRole,
} from "./schema.ts";
export {
  FINISHED_TASK_STATUSES,
  STEP_STATUSES,
  type StepStatus,
  TASK_STATUSES,
  type TaskStatus,
} from "@app/lib/task_events";

/** A selected row with its JSON columns parsed. */
export type Parsed<Table> = {
  [K in keyof Selectable<Table>]: Selectable<Table>[K] extends JsonText<infer T> ? T
    : Selectable<Table>[K];
};

export type Agent = Parsed<AgentsTable>;
export type Session = Parsed<SessionsTable>;
export type Message = Parsed<MessagesTable>;
export type Task = Parsed<TasksTable>;
export type TaskStep = Parsed<TaskStepsTable>;

/** A stored event: its type and data agree (see `@app/lib/task_events`). */
export type { TaskEvent } from "@app/lib/task_events";
