import { assert, assertEquals, assertThrows } from "@app/lib/assert";
import { NodeSqliteDatabase } from "./sqlite_adapter.ts";

Deno.test("[db] sqlite adapter: readers return rows, writers report changes and rowid", () => {
  const db = new NodeSqliteDatabase(":memory:");
  db.exec("create table t (id integer primary key autoincrement, v text)");
  const insert = db.prepare("insert into t (v) values (?)");
  assertEquals(insert.reader, false);
  assertEquals(insert.run(["a"]), { changes: 1, lastInsertRowid: 1 });
  assertEquals(insert.run(["b"]), { changes: 1, lastInsertRowid: 2 });
  const select = db.prepare("select id, v from t where id >= ? order by id");
  assertEquals(select.reader, true);
  assertEquals(select.all([1]).map((r) => ({ ...(r as object) })), [
    { id: 1, v: "a" },
    { id: 2, v: "b" },
  ]);
  assertEquals([...select.iterate([2])].map((r) => ({ ...(r as object) })), [{ id: 2, v: "b" }]);
  const returning = db.prepare("insert into t (v) values (?) returning id");
  assertEquals(returning.reader, true);
  assertEquals(returning.all(["c"]).map((r) => ({ ...(r as object) })), [{ id: 3 }]);
  db.close();
});

Deno.test("[db] sqlite adapter: prepared statements are reused by SQL text", () => {
  const db = new NodeSqliteDatabase(":memory:");
  const a = db.prepare("select 1 as one");
  const b = db.prepare("select 1 as one");
  assert(a === b, "the same SQL should give back the cached statement");
  db.close();
});

Deno.test("[db] sqlite adapter: WAL, foreign keys and busy timeout are on for files", async () => {
  const dir = await Deno.makeTempDir();
  const db = new NodeSqliteDatabase(`${dir}/x.db`);
  const pragma = (name: string) =>
    Object.values(db.prepare(`pragma ${name}`).all([])[0] as object)[0];
  assertEquals(pragma("journal_mode"), "wal");
  assertEquals(pragma("foreign_keys"), 1);
  assertEquals(pragma("busy_timeout"), 10_000);
  db.exec("create table p (id integer primary key)");
  db.exec("create table c (p integer references p(id))");
  assertThrows(() => db.exec("insert into c values (42)"), Error, "FOREIGN KEY");
  db.close();
  await Deno.remove(dir, { recursive: true });
});
