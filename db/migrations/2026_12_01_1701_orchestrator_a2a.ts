/**
 * The orchestrator as an A2A agent: its A2A tasks in the SDK's task schema (a table of its own,
 * apart from the built-in agent's, which may share the database), the link from each A2A task
 * to the orchestrator task it is, and the SDK's push notification config tables for both A2A
 * servers, each exactly as the SDK's `a2a-db upgrade --sql` renders them (ledgers included).
 */
// deno-lint-ignore-file no-explicit-any
import { type Kysely, sql } from "kysely";
import { type DialectName, dialectOf } from "../dialect.ts";
import { a2aTaskStatements, COLLATION } from "./2026_12_01_0001_a2a_tasks.ts";

export const ORCHESTRATOR_A2A_TASK_TABLE = "orchestrator_a2a_tasks";
export const A2A_TASK_LINK_TABLE = "a2a_task_links";
/** The built-in agent's push notification configs, and the orchestrator's. */
export const A2A_PUSH_CONFIG_TABLE = "a2a_push_notification_configs";
export const ORCHESTRATOR_A2A_PUSH_CONFIG_TABLE = "orchestrator_a2a_push_configs";

const PUSH_MIGRATION = "0001_create_push_notification_configs";

/** The SDK's push notification config table, as its CLI renders it for this table name. */
export function a2aPushConfigStatements(
  dialect: DialectName,
  appliedAt: string,
  table: string,
): string[] {
  const text = (n: number) => `varchar(${n}) ${COLLATION[dialect]}`;
  const ledger = `a2a_${table}_migrations`;
  return [
    `create table if not exists "${ledger}" ("name" varchar(255) not null primary key, ` +
    `"timestamp" varchar(255) not null)`,
    `create table "${table}" ("tenant" ${text(255)} not null, "owner" ${text(255)} not null, ` +
    `"task_id" ${text(36)} not null, "config_id" ${text(36)} not null, "config_data" text, ` +
    `"protocol_version" varchar(255), constraint "${table}_pkey" primary key ("tenant", ` +
    `"owner", "task_id", "config_id"))`,
    `insert into "${ledger}" ("name", "timestamp") values ('${PUSH_MIGRATION}', '${appliedAt}')`,
  ];
}

export async function up(db: Kysely<any>): Promise<void> {
  const dialect = dialectOf(db);
  const now = new Date().toISOString();
  const statements = [
    ...a2aTaskStatements(dialect, now, ORCHESTRATOR_A2A_TASK_TABLE),
    ...a2aPushConfigStatements(dialect, now, A2A_PUSH_CONFIG_TABLE),
    ...a2aPushConfigStatements(dialect, now, ORCHESTRATOR_A2A_PUSH_CONFIG_TABLE),
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
  await db.schema.createTable(A2A_TASK_LINK_TABLE)
    // The A2A task id (the SDK's, a UUID) and the orchestrator task it is.
    .addColumn("a2a_task_id", "varchar(36)", (c) => c.primaryKey())
    .addColumn("task_id", "integer", (c) => c.notNull().references("tasks.id").onDelete("cascade"))
    .execute();
  await db.schema.createIndex(`${A2A_TASK_LINK_TABLE}_by_task`).on(A2A_TASK_LINK_TABLE)
    .column("task_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable(A2A_TASK_LINK_TABLE).ifExists().execute();
  for (
    const table of [
      ORCHESTRATOR_A2A_TASK_TABLE,
      A2A_PUSH_CONFIG_TABLE,
      ORCHESTRATOR_A2A_PUSH_CONFIG_TABLE,
    ]
  ) {
    await db.schema.dropTable(table).ifExists().execute();
    await db.schema.dropTable(`a2a_${table}_migrations`).ifExists().execute();
  }
}
