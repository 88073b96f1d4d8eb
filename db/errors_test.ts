/** Database errors come out of the data layer typed, the same on SQLite and Postgres. */
import { assert, assertEquals, assertRejects } from "@app/lib/assert";
import { DatabaseSync } from "node:sqlite";
import { Kysely, sql } from "kysely";
import { dbTest } from "./testing.ts";
import { connect } from "./connect.ts";
import { migrateToLatest } from "./migrate.ts";
import { DatabaseUnavailable, mappingErrors, ReferenceMissing, UniqueViolation } from "./errors.ts";
import { addMessage } from "./repositories/sessions.ts";
import { NodeSqliteDatabase, NodeSqliteDialect } from "./sqlite_adapter.ts";
import type { Database } from "./schema.ts";
import { createAgent, updateAgent } from "./repositories/agents.ts";

const agent = (name: string) => ({ name, agent_type: "api" as const, endpoint: "http://x" });

dbTest(
  "[db] errors: a repeated unique value is a UniqueViolation naming its column",
  async ({ db }) => {
    await createAgent(db, agent("Research"));
    const other = await createAgent(db, agent("Writer"));
    const created = await assertRejects(
      () => createAgent(db, agent("Research")),
      UniqueViolation,
    ) as UniqueViolation;
    assertEquals(created.columns, ["name"]);
    assert(created.cause, "the driver's own error is kept as the cause");
    const renamed = await assertRejects(
      () => updateAgent(db, other.id, { name: "Research" }),
      UniqueViolation,
    ) as UniqueViolation;
    assertEquals(renamed.columns, ["name"]);
    // The failed statements changed nothing.
    assertEquals(
      (await db.selectFrom("agents").select("name").orderBy("id").execute())
        .map((row) => row.name),
      ["Research", "Writer"],
    );
  },
);

dbTest(
  "[db] errors: a row whose parent is gone (a message to a deleted session) is ReferenceMissing",
  async ({ db }) => {
    // The race this stands for: a session deleted between a request's check and its insert.
    await assertRejects(
      () => addMessage(db, { session_id: "deleted-meanwhile", role: "user", content: "hi" }),
      ReferenceMissing,
    );
  },
);

Deno.test("[db] errors: a Postgres server that does not answer is DatabaseUnavailable", async () => {
  // Port 1 on this machine: nothing listens, the connection is refused.
  const db = connect("postgres://postgres@127.0.0.1:1/none");
  try {
    await assertRejects(() => db.selectFrom("agents").selectAll().execute(), DatabaseUnavailable);
  } finally {
    await db.destroy();
  }
});

Deno.test({
  name: "[db] errors: a Postgres server with no connection to spare is DatabaseUnavailable",
  ignore: !Deno.env.get("TEST_DATABASE_URL"),
  async fn() {
    // A role allowed no connection gets the same refusal (53300) as a server at max_connections.
    const admin = new URL(Deno.env.get("TEST_DATABASE_URL")!);
    const setup = connect(admin.href);
    try {
      await sql`DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'no_connections_left') THEN
          CREATE ROLE no_connections_left LOGIN CONNECTION LIMIT 0;
        END IF;
      END $$`.execute(setup);
    } finally {
      await setup.destroy();
    }
    const limited = new URL(admin.href);
    limited.username = "no_connections_left";
    const db = connect(limited.href);
    try {
      await assertRejects(() => db.selectFrom("agents").selectAll().execute(), DatabaseUnavailable);
    } finally {
      await db.destroy();
    }
  },
});

Deno.test("[db] errors: a SQLite file locked by another writer is DatabaseUnavailable", async () => {
  const dir = await Deno.makeTempDir({ prefix: "errors-test-" });
  const path = `${dir}/locked.db`;
  const setup = connect(`sqlite:${path}`);
  await migrateToLatest(setup);
  await setup.destroy();
  const holder = new DatabaseSync(path);
  holder.exec("begin immediate");
  // No busy timeout: the second writer fails at once instead of waiting its turn.
  const db = new Kysely<Database>({
    dialect: mappingErrors(
      new NodeSqliteDialect(new NodeSqliteDatabase(path, { busyTimeoutMs: 0 })),
    ),
  });
  try {
    await assertRejects(() => createAgent(db, agent("Blocked")), DatabaseUnavailable);
  } finally {
    holder.exec("rollback");
    holder.close();
    await db.destroy();
    await Deno.remove(dir, { recursive: true });
  }
});
