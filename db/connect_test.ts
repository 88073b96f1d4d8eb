import { assertEquals, assertThrows } from "@app/lib/assert";
import { connect, DatabaseUrlError, parseDatabaseUrl } from "./connect.ts";
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
});

Deno.test("[db] database URLs: an unknown scheme is a clear error", () => {
  assertThrows(() => parseDatabaseUrl("mysql://localhost/db"), DatabaseUrlError, "unknown scheme");
  assertThrows(() => connect("redis://localhost"), DatabaseUrlError, "postgres://");
  assertThrows(() => parseDatabaseUrl("sqlite:"), DatabaseUrlError, "names no SQLite file");
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
