/**
 * Services that start together on one SQLite file (as `deno task dev` starts three) each migrate it
 * at start-up: every process must succeed, and each migration must run once.
 */
import { assertEquals } from "@app/lib/assert";
import { connect } from "./connect.ts";

const ROOT = new URL("../", import.meta.url);

Deno.test("[db] migrate: six processes migrating one new SQLite file at once all succeed", async () => {
  const dir = await Deno.makeTempDir({ prefix: "migrate-race-" });
  const url = `sqlite:${dir}/shared.db`;
  try {
    // Each process is loaded and connected well before START_AT, then all migrate at once.
    const startAt = String(Date.now() + 3_000);
    const runs = Array.from({ length: 6 }, () =>
      new Deno.Command(Deno.execPath(), {
        args: ["run", "--allow-all", "db/testdata/migrate_at.ts"],
        cwd: ROOT,
        env: { DATABASE_URL: url, START_AT: startAt, NO_COLOR: "1" },
        stdout: "piped",
        stderr: "piped",
      }).output());
    const outputs = await Promise.all(runs);
    const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
    for (const output of outputs) {
      assertEquals(output.code, 0, decode(output.stderr) + decode(output.stdout));
    }
    // One process applied the migrations; the others found the schema up to date.
    const applied = outputs.filter((o) => decode(o.stdout).startsWith("applied"));
    assertEquals(applied.length, 1, outputs.map((o) => decode(o.stdout)).join("\n"));
    const db = connect(url);
    try {
      const names = await db.selectFrom("kysely_migration" as never).select("name" as never)
        .execute() as unknown as { name: string }[];
      assertEquals(new Set(names.map((n) => n.name)).size, names.length, "each migration once");
    } finally {
      await db.destroy();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
