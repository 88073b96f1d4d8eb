/** The shapes repositories hand out: JSON columns parsed, timestamps as ISO-8601 UTC strings. */

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

export interface Agent {
  id: number;
  name: string;
  description: string;
  agent_type: AgentType;
  endpoint: string;
  capabilities: string[];
  status: AgentStatus;
  config: JsonObject;
  metadata: JsonObject;
  last_seen_at: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface Session {
  id: number;
  session_id: string;
  user_id: string;
  metadata: JsonObject;
  created_at: string;
  updated_at: string;
}

export interface Message {
  id: number;
  session_id: string;
  role: MessageRole;
  content: string;
  task_id: number | null;
  metadata: JsonObject;
  created_at: string;
}

export {
  FINISHED_TASK_STATUSES,
  STEP_STATUSES,
  type StepStatus,
  TASK_STATUSES,
  type TaskStatus,
} from "@app/lib/task_events";
import type { StepStatus, TaskStatus } from "@app/lib/task_events";

export interface Task {
  id: number;
  session_id: string;
  user_id: string;
  description: string;
  status: TaskStatus;
  plan: JsonObject;
  result: JsonObject;
  metadata: JsonObject;
  error: string | null;
  lease_owner: string | null;
  lease_expires_at: string | null;
  attempts: number;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
}

export interface TaskStep {
  id: number;
  task_id: number;
  step_number: number;
  description: string;
  capability: string;
  agent_id: number | null;
  dependencies: number[];
  status: StepStatus;
  input_data: JsonObject;
  output_data: JsonObject;
  error: string | null;
  attempts: number;
  started_at: string | null;
  completed_at: string | null;
}

/** A stored event: its type and data agree (see `@app/lib/task_events`). */
export type { TaskEvent } from "@app/lib/task_events";
