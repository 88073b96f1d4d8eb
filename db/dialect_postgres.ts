/**
 * Postgres's way with what differs (see dialect.ts): every statement is a network round trip,
 * so a batch travels as arrays in one statement (`unnest`), and a new task, its steps and its
 * session are one statement too.
 */
import { sql } from "kysely";
import type { SqlDialect } from "./dialect.ts";
import { isoNow, toJson } from "./codec.ts";
import { isWebhookEvent } from "@app/lib/task_events";
import { statement } from "./statement.ts";
import { taskParams } from "./dialect_sqlite.ts";

const insertTask = statement<
  ReturnType<typeof taskParams> & {
    ensure_session: boolean;
    step_numbers: number[];
    step_descriptions: string[];
    step_capabilities: string[];
    step_agent_ids: (number | null)[];
    step_agent_names: (string | null)[];
    step_dependencies: string[];
    step_statuses: string[];
    step_inputs: string[];
    step_attempts: number[];
    step_started_at: (string | null)[];
  },
  { id: number; steps: [number, number][] }
>(
  `with "s" as (insert into "sessions" ("session_id", "user_id", "metadata", "created_at", ` +
    `"updated_at") select :session_id, :user_id, '{}', :created_at::timestamptz, ` +
    `:created_at::timestamptz where :ensure_session::boolean on conflict ("session_id") do ` +
    `nothing), "t" as (insert into "tasks" ("session_id", "user_id", "description", "status", ` +
    `"plan", "result", "metadata", "attempts", "lease_owner", "lease_expires_at", ` +
    `"created_at", "updated_at") values (:session_id, :user_id, :description, :status, :plan, ` +
    `'{}', :metadata, :attempts, :lease_owner, :lease_expires_at, :created_at, :updated_at) ` +
    `returning "id"), "st" as (insert into "task_steps" ("task_id", "step_number", ` +
    `"description", "capability", "agent_id", "agent_name", "dependencies", "status", ` +
    `"input_data", "output_data", "attempts", "started_at") select "t"."id", "n", "d", "c", ` +
    `"a", "an", "deps", "st", "i", '{}', "at", "sa" from "t", unnest(:step_numbers::integer[], ` +
    `:step_descriptions::text[], :step_capabilities::text[], :step_agent_ids::integer[], ` +
    `:step_agent_names::text[], :step_dependencies::text[], :step_statuses::text[], ` +
    `:step_inputs::text[], :step_attempts::integer[], :step_started_at::timestamptz[]) as ` +
    `"x"("n", "d", "c", "a", "an", "deps", "st", "i", "at", "sa") ` +
    `returning "id", "step_number") ` +
    `select (select "id" from "t") as "id", coalesce((select json_agg(json_build_array(` +
    `"id", "step_number")) from "st"), '[]') as "steps"`,
);

type AppendParams = {
  event_task_ids: number[];
  event_types: string[];
  event_data: string[];
  event_created_at: string[];
  message_session_ids: string[];
  message_roles: string[];
  message_contents: string[];
  message_task_ids: (number | null)[];
  message_metadata: string[];
  message_created_at: string[];
  now: string;
  session_ids: string[];
};

const APPEND_ROWS = `with "e" as (insert into "task_events" ("task_id", "type", "data", ` +
  `"created_at") select * from unnest(:event_task_ids::integer[], :event_types::text[], ` +
  `:event_data::text[], :event_created_at::timestamptz[])), "m" as (insert into "messages" ` +
  `("session_id", "role", "content", "task_id", "metadata", "created_at") select * from ` +
  `unnest(:message_session_ids::text[], :message_roles::text[], :message_contents::text[], ` +
  `:message_task_ids::integer[], :message_metadata::text[], ` +
  `:message_created_at::timestamptz[]))`;
const TOUCH_SESSIONS = `update "sessions" set "updated_at" = :now where "session_id" = ` +
  `any(:session_ids::text[])`;

type HookParams = {
  hook_task_ids: number[];
  hook_types: string[];
  hook_created_at: string[];
  hook_now: string;
};

type NotifyParams = { channels: string[]; payloads: string[] };

// The webhook deliveries a batch's events call for (those a webhook of their task asked for).
const DELIVERIES = `"d" as (insert into "webhook_deliveries" ("delivery_id", "task_id", "event", ` +
  `"url", "event_created_at", "status", "attempts", "next_attempt_at", "created_at") select ` +
  `'whd_' || replace(gen_random_uuid()::text, '-', ''), "w"."task_id", "x"."type", "w"."url", ` +
  `"x"."created_at", 'pending', 0, :hook_now::timestamptz, :hook_now::timestamptz from ` +
  `unnest(:hook_task_ids::integer[], :hook_types::text[], ` +
  `:hook_created_at::timestamptz[]) as "x"("task_id", "type", "created_at") join ` +
  `"task_webhooks" as "w" on "w"."task_id" = "x"."task_id" and "w"."events" like '%"' || ` +
  `"x"."type" || '"%' returning 1)`;
// NOTIFYs riding on the batch's commit; a SELECT in WITH runs only when the query reads it.
const NOTIFIES = `"n" as (select pg_notify("c", "p") from unnest(:channels::text[], ` +
  `:payloads::text[]) as "x"("c", "p"))`;

/**
 * A batch's events and messages, its sessions marked active, and (each only for a batch that
 * has them, so the others plan no more) its webhook deliveries and the NOTIFYs it carries:
 * one round trip.
 */
function appendsStatement(deliveries: boolean, notifies: boolean) {
  if (!deliveries && !notifies) {
    return statement<AppendParams & HookParams & NotifyParams, { deliveries: number }>(
      `${APPEND_ROWS} ${TOUCH_SESSIONS}`,
    );
  }
  const parts = [`"s" as (${TOUCH_SESSIONS})`];
  if (deliveries) parts.push(DELIVERIES);
  if (notifies) parts.push(NOTIFIES);
  return statement<AppendParams & HookParams & NotifyParams, { deliveries: number }>(
    `${APPEND_ROWS}, ${parts.join(", ")} select ` +
      `${deliveries ? `(select count(*) from "d")` : "0"} as "deliveries", ` +
      `${notifies ? `(select count(*) from "n")` : "0"} as "notified"`,
  );
}

const appendStatements = [
  [appendsStatement(false, false), appendsStatement(false, true)],
  [appendsStatement(true, false), appendsStatement(true, true)],
];

const notifyMany = statement<{ channels: string[]; payloads: string[] }, unknown>(
  `select pg_notify("c", "p") from unnest(:channels::text[], :payloads::text[]) as "n"("c", "p")`,
);

export const postgresDialect: SqlDialect = {
  name: "postgres",

  async insertTask(db, task, steps, ensureSession) {
    const [row] = await insertTask.query(db, {
      ...taskParams(task),
      ensure_session: ensureSession,
      step_numbers: steps.map((s) => s.step_number),
      step_descriptions: steps.map((s) => s.description),
      step_capabilities: steps.map((s) => s.capability),
      step_agent_ids: steps.map((s) => s.agent_id),
      step_agent_names: steps.map((s) => s.agent_name),
      step_dependencies: steps.map((s) => toJson(s.dependencies)),
      step_statuses: steps.map((s) => s.status),
      step_inputs: steps.map((s) => toJson(s.input_data)),
      step_attempts: steps.map((s) => s.attempts),
      step_started_at: steps.map((s) => s.started_at),
    });
    task.id = Number(row.id);
    const ids = new Map(row.steps.map(([id, stepNumber]) => [stepNumber, Number(id)]));
    for (const step of steps) {
      step.task_id = task.id;
      step.id = ids.get(step.step_number)!;
    }
  },

  async insertAppends(db, events, messages, notifications) {
    const hooks = events.filter((e) => isWebhookEvent(e.type));
    const notifies = Boolean(notifications?.channels.length);
    const append = appendStatements[hooks.length ? 1 : 0][notifies ? 1 : 0];
    const [row] = await append.query(db, {
      event_task_ids: events.map((e) => e.task_id),
      event_types: events.map((e) => e.type),
      event_data: events.map((e) => toJson(e.data)),
      event_created_at: events.map((e) => e.created_at),
      message_session_ids: messages.map((m) => m.session_id),
      message_roles: messages.map((m) => m.role),
      message_contents: messages.map((m) => m.content),
      message_task_ids: messages.map((m) => m.task_id ?? null),
      message_metadata: messages.map((m) => toJson(m.metadata ?? {})),
      message_created_at: messages.map((m) => m.created_at),
      now: messages.at(-1)?.created_at ?? events.at(-1)?.created_at ?? isoNow(),
      session_ids: [...new Set(messages.map((m) => m.session_id))],
      hook_task_ids: hooks.map((e) => e.task_id),
      hook_types: hooks.map((e) => e.type),
      hook_created_at: hooks.map((e) => e.created_at),
      hook_now: isoNow(),
      channels: notifications?.channels ?? [],
      payloads: notifications?.payloads ?? [],
    });
    // The plain form is an UPDATE and returns no row.
    return Number(row?.deliveries ?? 0);
  },

  async notifyMany(db, channels, payloads) {
    await notifyMany.query(db, { channels, payloads });
  },

  async migrationSchema(db) {
    // The connection's own schema: left unset, Kysely looks for its tables by name in every
    // schema and is fooled by another schema's copy.
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`
      .execute(db);
    return rows[0].schema;
  },
};
