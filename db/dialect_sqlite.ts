/**
 * SQLite's way with what differs (see dialect.ts): in-process, a statement costs no round trip,
 * so batches run one prepared single-row statement per row.
 */
import { type Kysely, sql } from "kysely";
import type { Database } from "./schema.ts";
import type { SqlDialect } from "./dialect.ts";
import { isoNow, toJson } from "./codec.ts";
import { statement } from "./statement.ts";
import { insertEvents, type NewEvent } from "./repositories/events.ts";
import { isWebhookEvent } from "@app/lib/task_events";
import { insertMessages } from "./repositories/sessions.ts";
import type { Task, TaskStep } from "./types.ts";

const ensureSession = statement<{ session_id: string; user_id: string; now: string }>(
  `insert into "sessions" ("session_id", "user_id", "metadata", "created_at", "updated_at") ` +
    `values (:session_id, :user_id, '{}', :now, :now) on conflict ("session_id") do nothing`,
);

type TaskParams = {
  session_id: string;
  user_id: string;
  description: string;
  status: string;
  plan: string;
  metadata: string;
  attempts: number;
  lease_owner: string | null;
  lease_expires_at: string | null;
  created_at: string;
  updated_at: string;
};

const insertTask = statement<TaskParams, { id: number }>(
  `insert into "tasks" ("session_id", "user_id", "description", "status", "plan", "result", ` +
    `"metadata", "attempts", "lease_owner", "lease_expires_at", "created_at", "updated_at") ` +
    `values (:session_id, :user_id, :description, :status, :plan, '{}', :metadata, :attempts, ` +
    `:lease_owner, :lease_expires_at, :created_at, :updated_at) returning "id"`,
);

const insertStep = statement<{
  task_id: number;
  step_number: number;
  description: string;
  capability: string;
  agent_id: number | null;
  agent_name: string | null;
  dependencies: string;
  status: string;
  input_data: string;
  attempts: number;
  started_at: string | null;
}, { id: number }>(
  `insert into "task_steps" ("task_id", "step_number", "description", "capability", ` +
    `"agent_id", "agent_name", "dependencies", "status", "input_data", "output_data", ` +
    `"attempts", "started_at") values (:task_id, :step_number, :description, :capability, ` +
    `:agent_id, :agent_name, :dependencies, :status, :input_data, '{}', :attempts, ` +
    `:started_at) returning "id"`,
);

/** A new task's columns as statement parameters (Postgres's insert takes the same). */
export function taskParams(task: Task): TaskParams {
  return {
    session_id: task.session_id,
    user_id: task.user_id,
    description: task.description,
    status: task.status,
    plan: toJson(task.plan),
    metadata: toJson(task.metadata),
    attempts: task.attempts,
    lease_owner: task.lease_owner,
    lease_expires_at: task.lease_expires_at,
    created_at: task.created_at,
    updated_at: task.updated_at,
  };
}

export const sqliteDialect: SqlDialect = {
  name: "sqlite",

  async insertTask(db: Kysely<Database>, task: Task, steps: TaskStep[], ensure: boolean) {
    if (ensure) {
      await ensureSession.execute(db, {
        session_id: task.session_id,
        user_id: task.user_id,
        now: task.created_at,
      });
    }
    task.id = Number((await insertTask.query(db, taskParams(task)))[0].id);
    for (const step of steps) {
      step.task_id = task.id;
      const [row] = await insertStep.query(db, {
        task_id: task.id,
        step_number: step.step_number,
        description: step.description,
        capability: step.capability,
        agent_id: step.agent_id,
        agent_name: step.agent_name,
        dependencies: toJson(step.dependencies),
        status: step.status,
        input_data: toJson(step.input_data),
        attempts: step.attempts,
        started_at: step.started_at,
      });
      step.id = Number(row.id);
    }
  },

  async insertAppends(db, events, messages) {
    await insertMessages(db, messages);
    await insertEvents(db, events);
    return await insertWebhookDeliveries(db, events);
  },

  async notifyMany() {},

  migrationSchema() {
    return Promise.resolve(undefined);
  },
};

/** The outbox's deliveries for `events` (see insertAppends), one statement per event. */
async function insertWebhookDeliveries(
  db: Kysely<Database>,
  events: readonly NewEvent[],
): Promise<number> {
  const now = isoNow();
  let written = 0;
  for (const e of events) {
    if (!isWebhookEvent(e.type)) continue;
    const result = await sql`
      insert into "webhook_deliveries" ("delivery_id", "task_id", "event", "url",
        "event_created_at", "status", "attempts", "next_attempt_at", "created_at")
      select 'whd_' || lower(hex(randomblob(16))), "task_id", ${e.type}, "url", ${e.created_at},
        'pending', 0, ${now}, ${now}
      from "task_webhooks" where "task_id" = ${e.task_id}
        and "events" like ${`%"${e.type}"%`}`.execute(db);
    written += Number(result.numAffectedRows ?? 0n);
  }
  return written;
}
