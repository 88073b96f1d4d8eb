/**
 * The tables, declared once. JSON columns hold JSON text on both databases (so what is written
 * is exactly what is read back, key order and all); timestamps travel as ISO-8601 UTC strings.
 */
import type { Generated } from "kysely";

export interface AgentsTable {
  id: Generated<number>;
  name: string;
  description: string;
  agent_type: string;
  endpoint: string;
  capabilities: string;
  status: string;
  config: string;
  metadata: string;
  last_seen_at: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface SessionsTable {
  id: Generated<number>;
  session_id: string;
  user_id: string;
  metadata: string;
  created_at: string;
  updated_at: string;
}

export interface MessagesTable {
  id: Generated<number>;
  session_id: string;
  role: string;
  content: string;
  task_id: number | null;
  metadata: string;
  created_at: string;
}

export interface TasksTable {
  id: Generated<number>;
  session_id: string;
  user_id: string;
  description: string;
  status: string;
  plan: string;
  result: string;
  metadata: string;
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
  dependencies: string;
  status: string;
  input_data: string;
  output_data: string;
  error: string | null;
  attempts: number;
  started_at: string | null;
  completed_at: string | null;
}

export interface TaskEventsTable {
  id: Generated<number>;
  task_id: number;
  type: string;
  data: string;
  created_at: string;
}

export interface Database {
  agents: AgentsTable;
  sessions: SessionsTable;
  messages: MessagesTable;
  tasks: TasksTable;
  task_steps: TaskStepsTable;
  task_events: TaskEventsTable;
}
