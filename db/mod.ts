/** The data layer: one typed Kysely database on SQLite or Postgres, and its repositories. */
export * from "./types.ts";
export type { Database } from "./schema.ts";
export {
  connect,
  type ConnectOptions,
  DatabaseUrlError,
  parseDatabaseUrl,
  postgresSettingsOf,
} from "./connect.ts";
export { migrateDown, migrateToLatest } from "./migrate.ts";
export { A2A_TASK_TABLE, a2aTaskStatements } from "./migrations/2026_12_01_0001_a2a_tasks.ts";
export {
  A2A_PUSH_CONFIG_TABLE,
  a2aPushConfigStatements,
  ORCHESTRATOR_A2A_PUSH_CONFIG_TABLE,
  ORCHESTRATOR_A2A_TASK_TABLE,
} from "./migrations/2026_12_01_1701_orchestrator_a2a.ts";
export * from "./repositories/a2a_task_links.ts";
export { type DialectName, dialectOf, isPostgres, type SqlDialect, sqlDialect } from "./dialect.ts";
export {
  DatabaseError,
  DatabaseUnavailable,
  InvalidText,
  mapDatabaseError,
  TransactionConflict,
  UniqueViolation,
} from "./errors.ts";
export { type SqlValue, Statement, statement } from "./statement.ts";
export { decodeCursor, encodeCursor, InvalidCursorError, isCursor } from "./cursor.ts";
export { isoNow, toIso } from "./codec.ts";
export * from "./repositories/agents.ts";
export * from "./repositories/agent_calls.ts";
export * from "./repositories/sessions.ts";
export * from "./repositories/tasks.ts";
export * from "./repositories/events.ts";
export { BatchAppends, type CommitRider, WriteBatcher } from "./write_batcher.ts";
export { Coalescer } from "./coalescer.ts";
export { createPgClient, type PgClient, type PgSettings } from "./pg.ts";
export * as transitions from "./repositories/task_transitions.ts";
export type { Lease } from "./repositories/task_transitions.ts";
export { type Notifications, notifyMany } from "./notify.ts";
export * from "./repositories/idempotency_keys.ts";
export * from "./repositories/agent_answers.ts";
export * from "./repositories/webhooks.ts";
export * from "./repositories/retention.ts";
export * from "./repositories/access.ts";
export * from "./repositories/usage.ts";
export * from "./repositories/task_head.ts";
export * as waits from "./repositories/task_waits.ts";
export type { PlannedStep, StepQuestion } from "./repositories/task_waits.ts";
