/** The orchestrator's response shapes, as far as the UI reads them (an HTTP client's view). */
export type TaskStatus =
  | "pending"
  | "planning"
  | "executing"
  | "completed"
  | "failed"
  | "cancelled";
export type StepStatus = "pending" | "running" | "completed" | "failed" | "skipped" | "cancelled";
export type Json = Record<string, unknown>;

export interface Session {
  id: number;
  session_id: string;
  user_id: string;
  metadata: Json;
  created_at: string;
  updated_at: string;
  message_count?: number;
  last_activity?: string | null;
}

export interface Message {
  id: number;
  session_id: string;
  role: "user" | "assistant" | "system" | "agent";
  content: string;
  task_id: number | null;
  created_at: string;
}

export interface SessionDetail extends Session {
  messages: Message[];
}

export interface StepView {
  step_number: number;
  description: string;
  capability: string;
  agent_id: number | null;
  agent_name: string | null;
  dependencies: number[];
  status: StepStatus;
  attempts: number;
  input_data: Json;
  output_data: Json;
  error: string | null;
  started_at: string | null;
  completed_at: string | null;
}

export interface TaskResult {
  summary?: string;
  insights?: string[];
  error?: string;
  [key: string]: unknown;
}

export interface TaskView {
  id: number;
  session_id: string;
  user_id: string;
  description: string;
  status: TaskStatus;
  result: TaskResult | null;
  error: string | null;
  steps: StepView[];
  created_at: string;
  completed_at: string | null;
}

export interface CreatedTask {
  task_id: number;
  session_id: string;
  status: TaskStatus;
  created_at: string;
}

export interface Agent {
  id: number;
  name: string;
  description: string;
  agent_type: string;
  endpoint: string;
  capabilities: string[];
  status: "active" | "inactive" | "error";
  last_seen_at: string | null;
  last_error: string | null;
}

export interface AgentHealth {
  agent_id: number;
  healthy: boolean;
  status: Agent["status"];
  last_seen_at: string | null;
  last_error: string | null;
}

export const FINISHED_STATUSES: readonly TaskStatus[] = ["completed", "failed", "cancelled"];

export const isFinished = (status: TaskStatus) => FINISHED_STATUSES.includes(status);

/** A task as an island's props: the plan repeats the steps, so it stays on the server. */
export function forIsland(task: TaskView): TaskView {
  const { plan: _plan, ...rest } = task as TaskView & { plan?: unknown };
  return rest;
}
