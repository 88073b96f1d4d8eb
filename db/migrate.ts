/** Runs the migrations under `db/migrations/`; imported statically so compiled binaries carry them. */
import { type Kysely, sql } from "kysely";
import { sqlDialect } from "./dialect.ts";
import { type Migration, type MigrationResultSet, Migrator } from "kysely/migration";
import type { Database } from "./schema.ts";
import * as initial from "./migrations/2026_11_25_0001_initial.ts";
import * as unleasedIndex from "./migrations/2026_11_25_0002_unleased_index.ts";
import * as a2aTasks from "./migrations/2026_12_01_0001_a2a_tasks.ts";
import * as langgraphCheckpoints from "./migrations/2026_12_01_1511_langgraph_checkpoints.ts";
import * as idempotencyKeys from "./migrations/2026_12_01_1801_idempotency_keys.ts";
import * as agentAnswers from "./migrations/2026_12_01_1802_agent_answers.ts";
import * as webhooks from "./migrations/2026_12_01_1803_webhooks.ts";
import * as usageAndTrace from "./migrations/2026_12_01_1601_usage_and_trace.ts";
import * as stepAgentName from "./migrations/2026_12_01_1901_step_agent_name.ts";
import * as accessControl from "./migrations/2026_12_01_2101_access_control.ts";
import * as orchestratorA2a from "./migrations/2026_12_01_1701_orchestrator_a2a.ts";
import * as stepQuestions from "./migrations/2026_12_01_1501_step_questions.ts";

const MIGRATIONS: Record<string, Migration> = {
  "2026_11_25_0001_initial": initial,
  "2026_11_25_0002_unleased_index": unleasedIndex,
  "2026_12_01_0001_a2a_tasks": a2aTasks,
  "2026_12_01_1701_orchestrator_a2a": orchestratorA2a,
  "2026_12_01_1511_langgraph_checkpoints": langgraphCheckpoints,
  "2026_12_01_1801_idempotency_keys": idempotencyKeys,
  "2026_12_01_1802_agent_answers": agentAnswers,
  "2026_12_01_1803_webhooks": webhooks,
  "2026_12_01_1601_usage_and_trace": usageAndTrace,
  "2026_12_01_1901_step_agent_name": stepAgentName,
  "2026_12_01_2101_access_control": accessControl,
  "2026_12_01_1501_step_questions": stepQuestions,
};

async function migrator(db: Kysely<Database>): Promise<Migrator> {
  const schema = await sqlDialect(db).migrationSchema(db);
  return new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(MIGRATIONS) },
    // Names carry their issue's number, so one merged later may sort before one already run.
    allowUnorderedMigrations: true,
    ...(schema && { migrationTableSchema: schema }),
  });
}

/**
 * Runs `work` holding the migration lock. Kysely takes none on SQLite, so services starting
 * together on one file (the dev launcher's three) ran the same migration at once ("table agents
 * already exists"). An exclusive flock on a file beside the database serializes them; the OS
 * drops it when a holder dies. Postgres has Kysely's own advisory lock.
 */
async function withMigrationLock<T>(db: Kysely<Database>, work: () => Promise<T>): Promise<T> {
  if (sqlDialect(db).name !== "sqlite") return work();
  const { rows } = await sql<{ file: string }>`
    select file from pragma_database_list where name = 'main'`.execute(db);
  const file = rows[0]?.file;
  if (!file) return work(); // in memory: no other process can see it
  const lock = await Deno.open(`${file}.migrate-lock`, { create: true, write: true });
  try {
    await lock.lock(true);
    return await work();
  } finally {
    lock.close();
  }
}

/** Brings the schema up to date; throws with the failing migration's error. */
export function migrateToLatest(db: Kysely<Database>): Promise<MigrationResultSet> {
  return withMigrationLock(db, () => migrateUnlocked(db));
}

async function migrateUnlocked(db: Kysely<Database>): Promise<MigrationResultSet> {
  for (let attempt = 1;; attempt++) {
    const result = await (await migrator(db)).migrateToLatest();
    if (!result.error) return result;
    // Kysely's Postgres introspector checks `has_schema_privilege` on every schema of the
    // database; one dropped meanwhile (another deployment's, a finished test's) fails that
    // scan with "schema ... does not exist" (3F000). Looking again finds it gone.
    const code = result.error as { cause?: { code?: string }; code?: string };
    // A table or column altered meanwhile in another schema fails it the same way.
    const raced = ["3F000", "42P01", "42703"].includes(String(code.code ?? code.cause?.code));
    if (!raced || attempt === 3) throw result.error;
  }
}

export async function migrateDown(db: Kysely<Database>): Promise<MigrationResultSet> {
  const result = await (await migrator(db)).migrateDown();
  if (result.error) throw result.error;
  return result;
}
