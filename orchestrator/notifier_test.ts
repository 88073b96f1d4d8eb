import { assert, assertEquals } from "@app/lib/assert";
import { openTestDatabase, postgresTestUrl } from "@app/db/testing";
import { createPgClient } from "@app/db";
import { silentLogger } from "@app/lib";
import { sql } from "kysely";
import { createNotifier } from "./notifier.ts";

const settle = (ms = 300) => new Promise((resolve) => setTimeout(resolve, ms));

Deno.test("[notifier] local: delivered at once, a throwing listener harms no other", async () => {
  const database = await openTestDatabase("sqlite");
  const notifier = await createNotifier(database.db, silentLogger);
  try {
    assertEquals(notifier.crossProcess, false);
    const heard: string[] = [];
    notifier.subscribe("task_events", () => {
      throw new Error("a broken listener");
    });
    const unsubscribe = notifier.subscribe("task_events", (id) => heard.push(id));
    notifier.publish("task_events", "7");
    assertEquals(heard, ["7"], "synchronously");
    unsubscribe();
    notifier.publish("task_events", "8");
    assertEquals(heard, ["7"]);
    assertEquals(notifier.listenerCount("task_events"), 1);
  } finally {
    await notifier.close();
    await database.close();
  }
});

Deno.test({
  name: "[notifier] postgres: one turn's signals leave as one notification per channel (postgres)",
  ignore: !postgresTestUrl(),
  fn: async () => {
    const database = await openTestDatabase("postgres");
    const here = await createNotifier(database.db, silentLogger);
    const other = database.reconnect();
    const there = await createNotifier(other, silentLogger);
    // A bystander on the raw channel counts what crosses the wire.
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`
      .execute(database.db);
    const watcher = createPgClient({ connectionString: postgresTestUrl()! });
    const wire: string[] = [];
    watcher.on("notification", (m) => wire.push(m.payload ?? ""));
    await watcher.connect();
    await watcher.query(`listen "orch_${rows[0].schema}_task_events"`);
    try {
      const heardHere: string[] = [];
      const heardThere: string[] = [];
      here.subscribe("task_events", (id) => heardHere.push(id));
      there.subscribe("task_events", (id) => heardThere.push(id));
      for (let id = 1; id <= 100; id++) here.publish("task_events", String(id));
      here.publish("task_events", "5"); // a repeat says nothing new
      await settle();
      assertEquals(wire.length, 1, "one notification for the turn's 100 signals");
      const expected = Array.from({ length: 100 }, (_, i) => String(i + 1));
      assertEquals(heardThere, expected, "the other process hears each once");
      assertEquals(heardHere, [...expected, "5"], "the publisher hears its own at once, not again");

      // Past 8,000 bytes a notification is split, and nothing is lost.
      wire.length = 0;
      heardThere.length = 0;
      const long = Array.from({ length: 3_000 }, (_, i) => String(100_000 + i));
      for (const id of long) here.publish("task_events", id);
      await settle(600);
      assert(wire.length > 1, `split into ${wire.length}`);
      assert(wire.every((payload) => payload.length < 8_000));
      assertEquals(heardThere, long);
    } finally {
      await watcher.end();
      await here.close();
      await there.close();
      await database.close();
    }
  },
});
