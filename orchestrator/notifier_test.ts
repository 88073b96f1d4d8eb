import { assert, assertEquals, assertRejects } from "@app/lib/assert";
import { openTestDatabase, postgresTestUrl } from "@app/db/testing";
import { createPgClient, WriteBatcher } from "@app/db";
import { silentLogger, taskEvent } from "@app/lib";
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

/** A notifier riding on a write batcher, and a bystander counting what crosses the wire. */
async function ridingNotifier() {
  const database = await openTestDatabase("postgres");
  const writes = new WriteBatcher(database.db);
  const notifier = await createNotifier(database.db, silentLogger, writes);
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`
    .execute(database.db);
  const watcher = createPgClient({ connectionString: postgresTestUrl()! });
  const wire: string[] = [];
  watcher.on("notification", (m) => wire.push((m.payload ?? "").split("|")[1]));
  await watcher.connect();
  await watcher.query(`listen "orch_${rows[0].schema}_task_events"`);
  return {
    writes,
    notifier,
    wire,
    async close() {
      await watcher.end();
      await notifier.close();
      await database.close();
    },
  };
}

Deno.test({
  name: "[notifier] postgres: signals published while a write batch is open leave with its " +
    "commit (postgres)",
  ignore: !postgresTestUrl(),
  fn: async () => {
    const t = await ridingNotifier();
    try {
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      const write = t.writes.run(async () => {
        t.notifier.publish("task_events", "7");
        await gate;
      });
      await settle();
      assertEquals(t.wire, [], "carried by the open batch, so not sent before its commit");
      open();
      await write;
      await settle();
      assertEquals(t.wire, ["7"], "delivered with the batch's commit");

      // With no batch on its way, a signal leaves on its own as before.
      t.notifier.publish("task_events", "8");
      await settle();
      assertEquals(t.wire, ["7", "8"]);
    } finally {
      await t.close();
    }
  },
});

Deno.test({
  name: "[notifier] postgres: signals a batch took along still leave when it rolls back " +
    "(postgres)",
  ignore: !postgresTestUrl(),
  fn: async () => {
    const t = await ridingNotifier();
    try {
      // The batch's appends fail (an event of a task that does not exist), after it took the
      // signal: its transaction rolls back, and the signal must not go with it. (The batcher
      // then runs the write again alone; only its first run publishes.)
      let runs = 0;
      const write = t.writes.run((_trx, appends) => {
        if (runs++ === 0) t.notifier.publish("task_events", "9");
        appends.event(999_999, taskEvent("task.retried", { status: "pending", steps: [] }));
        return Promise.resolve();
      });
      await assertRejects(() => write);
      await settle();
      assertEquals(t.wire, ["9"]);
    } finally {
      await t.close();
    }
  },
});
