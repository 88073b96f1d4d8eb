/** The statement helper: rendering per dialect, running on both databases, preparing on Postgres. */
import { assert, assertEquals, assertRejects } from "@app/lib/assert";
import { sql } from "kysely";
import { dbTest } from "./testing.ts";
import { preparedName } from "./prepared.ts";
import {
  MissingParameterError,
  renderForPostgres,
  renderForSqlite,
  statement,
} from "./statement.ts";

Deno.test("[db] statement: named placeholders render as ? for SQLite and $n for Postgres", () => {
  const text = `select :a, ':not_me', "col:umn", :b::integer[], :a where x = :c`;
  assertEquals(renderForSqlite(text), {
    text: `select ?, ':not_me', "col:umn", ?::integer[], ? where x = ?`,
    names: ["a", "b", "a", "c"],
  });
  assertEquals(renderForPostgres(text), {
    text: `select $1, ':not_me', "col:umn", $2::integer[], $1 where x = $3`,
    names: ["a", "b", "c"],
  });
});

const insertSession = statement<
  { session_id: string; user_id: string; metadata: string; now: string },
  { id: number; session_id: string; created_at: string }
>(
  `insert into "sessions" ("session_id", "user_id", "metadata", "created_at", "updated_at") ` +
    `values (:session_id, :user_id, :metadata, :now, :now) returning "id", "session_id", ` +
    `"created_at"`,
);

const touchSessions = statement<{ user_id: string; now: string }>(
  `update "sessions" set "updated_at" = :now where "user_id" = :user_id`,
);

dbTest("[db] statement: returns typed rows and changed-row counts", async ({ db }) => {
  const now = "2026-01-02T03:04:05.678Z";
  const [row] = await insertSession.query(db, {
    session_id: "sess_a",
    user_id: "u1",
    metadata: "{}",
    now,
  });
  // node:sqlite rows have no prototype; spread them to compare.
  assertEquals({ ...row }, { id: 1, session_id: "sess_a", created_at: now });
  await insertSession.query(db, { session_id: "sess_b", user_id: "u1", metadata: "{}", now });
  const later = "2026-02-02T00:00:00.000Z";
  assertEquals(await touchSessions.execute(db, { user_id: "u1", now: later }), 2);
  assertEquals(await touchSessions.execute(db, { user_id: "nobody", now: later }), 0);
  const stored = await db.selectFrom("sessions").select(["updated_at", "created_at"])
    .orderBy("id").execute();
  assertEquals(stored.map((r) => ({ ...r })), [
    { updated_at: later, created_at: now },
    { updated_at: later, created_at: now },
  ]);
});

dbTest(
  "[db] statement: runs inside a Kysely transaction and rolls back with it",
  async ({ db }) => {
    await assertRejects(
      () =>
        db.transaction().execute(async (trx) => {
          await insertSession.query(trx, {
            session_id: "sess_rolled_back",
            user_id: "u1",
            metadata: "{}",
            now: "2026-01-01T00:00:00.000Z",
          });
          throw new Error("abort the transaction");
        }),
      Error,
      "abort the transaction",
    );
    assertEquals(await db.selectFrom("sessions").select("id").execute(), []);
  },
);

dbTest(
  "[db] statement: a missing parameter fails naming it, before reaching the database",
  async ({ db }) => {
    const params = { session_id: "s", user_id: "u", metadata: "{}" } as unknown as {
      session_id: string;
      user_id: string;
      metadata: string;
      now: string;
    };
    await assertRejects(() => insertSession.query(db, params), MissingParameterError, ":now");
  },
);

dbTest(
  "[db] statement: on Postgres it runs as a statement prepared on the connection",
  async ({ db, dialect }) => {
    const name = preparedName(insertSession.postgres.text);
    assert(name, "the statement's Postgres text is registered for preparing");
    if (dialect !== "postgres") return;
    // One transaction is one connection: after the statement ran, that connection holds it.
    const prepared = await db.transaction().execute(async (trx) => {
      await insertSession.query(trx, {
        session_id: "sess_p",
        user_id: "u1",
        metadata: "{}",
        now: "2026-01-01T00:00:00.000Z",
      });
      const { rows } = await sql<{ name: string; statement: string }>`
      select "name", "statement" from pg_prepared_statements`.execute(trx);
      return rows;
    });
    const mine = prepared.find((row) => row.name === name);
    assert(mine, `statement ${name} is prepared: ${JSON.stringify(prepared)}`);
    assertEquals(mine.statement, insertSession.postgres.text);
  },
);
