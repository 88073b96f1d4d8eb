/**
 * The A2A agent's task table: the schema `@a2a-js/sdk` 1.3.0's `DatabaseTaskStore` reads and
 * writes, exactly as the SDK's own `a2a-db upgrade --sql --store tasks --tasks-table-name
 * a2a_tasks` renders it (a test compares the two), ledger row included, so the SDK's CLI sees
 * its migration applied and can run its later ones. Named `a2a_tasks`: the SDK's default name,
 * `tasks`, is the orchestrator's table.
 */
// deno-lint-ignore-file no-explicit-any
import { type Kysely, sql } from "kysely";
import { type DialectName, dialectOf } from "../dialect.ts";

export const A2A_TASK_TABLE = "a2a_tasks";
/** The SDK's migration ledger for a table is `a2a_${table}_migrations`; this its one entry. */
const ledgerOf = (table: string) => `a2a_${table}_migrations`;
const LEDGER = ledgerOf(A2A_TASK_TABLE);
const SDK_MIGRATION = "0001_create_tasks";

export const COLLATION: Record<DialectName, string> = {
  sqlite: "collate binary",
  postgres: 'collate "C"',
};

/**
 * The SDK's statements for a dialect and table name (the orchestrator's own A2A endpoint has
 * its table too); the ledger row is stamped when the migration runs.
 */
export function a2aTaskStatements(
  dialect: DialectName,
  appliedAt: string,
  table: string = A2A_TASK_TABLE,
): string[] {
  const text = (n: number) => `varchar(${n}) ${COLLATION[dialect]}`;
  const LEDGER = ledgerOf(table);
  const A2A_TASK_TABLE = table;
  return [
    `create table if not exists "${LEDGER}" ("name" varchar(255) not null primary key, ` +
    `"timestamp" varchar(255) not null)`,
    `create table "${A2A_TASK_TABLE}" ("tenant" ${text(255)} not null, "owner" ${
      text(255)
    } not null, "id" ${text(36)} not null, "context_id" ${text(36)} not null, ` +
    `"status_last_updated" bigint not null, "status_state" ${text(255)}, "status" text, ` +
    `"artifacts" text, "history" text, "metadata" text, "protocol_version" varchar(255), ` +
    `constraint "${A2A_TASK_TABLE}_pkey" primary key ("tenant", "owner", "id"))`,
    `create index "${A2A_TASK_TABLE}_scope_updated_idx" on "${A2A_TASK_TABLE}" ` +
    `("tenant", "owner", "status_last_updated", "id")`,
    `create index "${A2A_TASK_TABLE}_scope_context_updated_idx" on "${A2A_TASK_TABLE}" ` +
    `("tenant", "owner", "context_id", "status_last_updated", "id")`,
    `insert into "${LEDGER}" ("name", "timestamp") values ('${SDK_MIGRATION}', '${appliedAt}')`,
  ];
}

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of a2aTaskStatements(dialectOf(db), new Date().toISOString())) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable(A2A_TASK_TABLE).ifExists().execute();
  await db.schema.dropTable(LEDGER).ifExists().execute();
}
