/**
 * Runs one test definition on every database this machine offers: SQLite always (a fresh file
 * per test), Postgres when TEST_DATABASE_URL is set (a fresh schema per test, dropped after).
 * Test names end in "(sqlite)" or "(postgres)", which is how CI counts them per database.
 */
import type { Kysely } from "kysely";
import { createPgClient } from "./pg.ts";
import { connect } from "./connect.ts";
import { migrateToLatest } from "./migrate.ts";
import type { Database } from "./schema.ts";
import type { DialectName } from "./dialect.ts";
import type { JsonObject, StepStatus, Task, TaskStatus, TaskStep } from "./types.ts";
import { isoNow, toJson } from "./codec.ts";
import { getTask, getTaskSteps } from "./repositories/tasks.ts";

export interface TestDatabase {
  db: Kysely<Database>;
  dialect: DialectName;
  /** A URL another process can open to reach the same data (Postgres: with the schema). */
  url: string;
  /** Postgres schema of this test, if any. */
  schema?: string;
  /** Opens another, independent connection (pool) to the same database. */
  reconnect(): Kysely<Database>;
}

export function postgresTestUrl(): string | undefined {
  return Deno.env.get("TEST_DATABASE_URL") || undefined;
}

/** A migrated, empty database of the given kind; `close()` removes it. */
export async function openTestDatabase(
  dialect: DialectName,
): Promise<TestDatabase & { close(): Promise<void> }> {
  if (dialect === "sqlite") {
    const dir = await Deno.makeTempDir({ prefix: "orch-test-" });
    const url = `sqlite:${dir}/test.db`;
    const db = connect(url);
    await migrateToLatest(db);
    const extra: Kysely<Database>[] = [];
    return {
      db,
      dialect,
      url,
      reconnect: () => {
        const other = connect(url);
        extra.push(other);
        return other;
      },
      close: async () => {
        await Promise.all([db, ...extra].map((d) => d.destroy()));
        await Deno.remove(dir, { recursive: true });
      },
    };
  }
  const base = postgresTestUrl();
  if (!base) throw new Error("TEST_DATABASE_URL is not set");
  const schema = `test_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const admin = createPgClient({ connectionString: base });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const db = connect(base, { schema, poolSize: 5 });
  await migrateToLatest(db);
  const extra: Kysely<Database>[] = [];
  const url = withSchema(base, schema);
  return {
    db,
    dialect,
    url,
    schema,
    reconnect: () => {
      const other = connect(base, { schema, poolSize: 5 });
      extra.push(other);
      return other;
    },
    close: async () => {
      await Promise.all([db, ...extra].map((d) => d.destroy()));
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    },
  };
}

/** The Postgres URL with `?schema=` so a child process lands in the same schema. */
function withSchema(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set("schema", schema);
  return parsed.toString();
}

export function testDialects(): DialectName[] {
  return postgresTestUrl() ? ["sqlite", "postgres"] : ["sqlite"];
}

/** Registers `fn` once per available database. */
export function dbTest(
  name: string,
  fn: (t: TestDatabase, ctx: Deno.TestContext) => Promise<void>,
  options: { ignore?: boolean } = {},
): void {
  for (const dialect of testDialects()) {
    Deno.test({
      name: `${name} (${dialect})`,
      ignore: options.ignore,
      sanitizeResources: false,
      sanitizeOps: false,
      fn: async (ctx) => {
        const test = await openTestDatabase(dialect);
        try {
          await fn(test, ctx);
        } finally {
          await test.close();
        }
      },
    });
  }
}

/**
 * For tests only: sets a task's columns as given, bypassing the lifecycle (whose transitions
 * are the only way the product changes a status), to put a task in a state under test.
 */
export async function setTaskRow(
  db: Kysely<Database>,
  taskId: number,
  patch: {
    status?: TaskStatus;
    result?: JsonObject;
    error?: string | null;
    completed_at?: string | null;
    lease_owner?: string | null;
  },
): Promise<Task | undefined> {
  const { result, ...columns } = patch;
  await db.updateTable("tasks").set({
    ...columns,
    ...(result !== undefined && { result: toJson(result) }),
    updated_at: isoNow(),
  }).where("id", "=", taskId).execute();
  return await getTask(db, taskId);
}

/** For tests only: sets a step's columns as given, bypassing the lifecycle. */
export async function setStepRow(
  db: Kysely<Database>,
  taskId: number,
  stepNumber: number,
  patch: { status?: StepStatus; output_data?: JsonObject; attempts?: number },
): Promise<TaskStep | undefined> {
  const { output_data, ...columns } = patch;
  await db.updateTable("task_steps").set({
    ...columns,
    ...(output_data !== undefined && { output_data: toJson(output_data) }),
  }).where("task_id", "=", taskId).where("step_number", "=", stepNumber).execute();
  return (await getTaskSteps(db, taskId)).find((s) => s.step_number === stepNumber);
}
