/**
 * The Python original's first troubleshooting item was "database is locked". Here several
 * processes, each with many concurrent writers, hammer one SQLite file: every write succeeds.
 */
import { assertEquals } from "@app/lib/assert";
import { connect } from "./connect.ts";
import { migrateToLatest } from "./migrate.ts";

Deno.test({
  name: "[db] sqlite: many concurrent writers in several processes never see 'database is locked'",
  sanitizeResources: false,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "orch-lock-" });
    const url = `sqlite:${dir}/locked.db`;
    const db = connect(url);
    await migrateToLatest(db);
    const processes = 4, writers = 8, rounds = 25;
    const children = Array.from({ length: processes }, (_, p) =>
      new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          new URL("./testdata/sqlite_writer.ts", import.meta.url).pathname,
          url,
          String(p),
          String(writers),
          String(rounds),
        ],
        stdout: "piped",
        stderr: "piped",
      }).output());
    const results = await Promise.all(children);
    for (const result of results) {
      assertEquals(result.code, 0, new TextDecoder().decode(result.stderr));
    }
    const count = async (table: "messages" | "tasks" | "sessions") =>
      Number(
        (await db.selectFrom(table).select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()).n,
      );
    assertEquals(await count("sessions"), processes * writers);
    assertEquals(await count("messages"), processes * writers * rounds);
    assertEquals(await count("tasks"), processes * writers * rounds);
    await db.destroy();
    await Deno.remove(dir, { recursive: true });
  },
});
