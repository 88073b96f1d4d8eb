import { assertEquals, assertThrows } from "@app/lib/assert";
import { sql } from "kysely";
import { connect, DatabaseUrlError, parseDatabaseUrl, postgresSettingsOf } from "./connect.ts";
import { createPgClient } from "./pg.ts";
import { postgresTestUrl } from "./testing.ts";
import { migrateToLatest } from "./migrate.ts";
import { dialectOf } from "./dialect.ts";

Deno.test("[db] database URLs: every accepted form parses to the right target", () => {
  assertEquals(parseDatabaseUrl("sqlite:./agent_orchestrator.db"), {
    kind: "sqlite",
    path: "./agent_orchestrator.db",
  });
  assertEquals(parseDatabaseUrl("sqlite:///./agent_orchestrator.db"), {
    kind: "sqlite",
    path: "./agent_orchestrator.db",
  });
  assertEquals(parseDatabaseUrl("sqlite:////var/lib/orch.db"), {
    kind: "sqlite",
    path: "/var/lib/orch.db",
  });
  assertEquals(parseDatabaseUrl("sqlite::memory:"), { kind: "sqlite", path: ":memory:" });
  assertEquals(parseDatabaseUrl("postgres://u@localhost/db").kind, "postgres");
  assertEquals(parseDatabaseUrl("postgresql://u:p@localhost:5432/db").kind, "postgres");
  assertEquals(
    parseDatabaseUrl("postgres://u@localhost/db?host=/var/run/postgresql").kind,
    "postgres",
  );
});

Deno.test("[db] database URLs: an unknown scheme is a clear error", () => {
  assertThrows(() => parseDatabaseUrl("mysql://localhost/db"), DatabaseUrlError, "unknown scheme");
  assertThrows(() => connect("redis://localhost"), DatabaseUrlError, "postgres://");
  assertThrows(() => parseDatabaseUrl("sqlite:"), DatabaseUrlError, "names no SQLite file");
  // libpq's empty host is no WHATWG URL: said so, with the form that works.
  assertThrows(
    () => connect("postgres://u@/db?host=/var/run/postgresql"),
    DatabaseUrlError,
    "?host=",
  );
});

Deno.test("[db] sqlite::memory: migrates and answers queries", async () => {
  const db = connect("sqlite::memory:");
  assertEquals(dialectOf(db), "sqlite");
  const result = await migrateToLatest(db);
  const files = [...Deno.readDirSync(new URL("./migrations", import.meta.url))]
    .filter((f) => f.name.endsWith(".ts"));
  assertEquals(result.results?.length, files.length, "every migration file is applied");
  assertEquals(result.results?.filter((r) => r.status !== "Success"), []);
  const again = await migrateToLatest(db);
  assertEquals(again.results, [], "a second run has nothing left to apply");
  const tables = await db.introspection.getTables();
  assertEquals(
    tables.map((t) => t.name).filter((n) => !n.startsWith("kysely_")).sort(),
    [
      "a2a_a2a_push_notification_configs_migrations",
      "a2a_a2a_tasks_migrations",
      "a2a_orchestrator_a2a_push_configs_migrations",
      "a2a_orchestrator_a2a_tasks_migrations",
      "a2a_push_notification_configs",
      "a2a_task_links",
      "a2a_tasks",
      "agent_answers",
      "agent_credentials",
      "agents",
      "api_keys",
      "audit_events",
      "idempotency_keys",
      "langgraph_checkpoint_writes",
      "langgraph_checkpoints",
      "llm_usage",
      "messages",
      "orchestrator_a2a_push_configs",
      "orchestrator_a2a_tasks",
      "sessions",
      "task_context",
      "task_events",
      "task_steps",
      "task_webhooks",
      "tasks",
      "webhook_deliveries",
    ],
  );
  await db.destroy();
});

/** TEST_DATABASE_URL's database through the local Unix socket, when there is one. */
function socketUrl(): string | undefined {
  const tcp = postgresTestUrl();
  if (!tcp) return undefined;
  const url = new URL(tcp);
  const dir = "/var/run/postgresql";
  try {
    Deno.statSync(`${dir}/.s.PGSQL.${url.port || 5432}`);
  } catch {
    return undefined;
  }
  url.searchParams.set("host", dir);
  return url.toString();
}

Deno.test({
  name: "[db] ?host=/dir connects over the Unix socket there, the LISTEN client too (postgres)",
  ignore: !socketUrl(),
  fn: async () => {
    const db = connect(socketUrl()!);
    const listener = createPgClient(postgresSettingsOf(db)!);
    try {
      const address = sql<{ address: string | null }>`select inet_server_addr() as address`;
      // A TCP connection has the server's address; a Unix socket has none.
      assertEquals((await address.execute(db)).rows, [{ address: null }]);
      await listener.connect();
      const { rows } = await listener.query("select inet_server_addr() as address");
      assertEquals(rows, [{ address: null }]);
    } finally {
      await listener.end();
      await db.destroy();
    }
  },
});
