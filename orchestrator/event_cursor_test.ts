import { assertEquals } from "@app/lib/assert";
import { EventCursor } from "./event_cursor.ts";

const ids = (events: { id: number }[]) => events.map((e) => e.id);
const rows = (...list: number[]) => list.map((id) => ({ id }));

Deno.test("event cursor: reads again from the settled floor and yields each id once", () => {
  let now = 0;
  const cursor = new EventCursor(0, 5_000, () => now);
  assertEquals(cursor.readFrom(false), 0);
  for (const e of cursor.unseen(rows(1, 3))) cursor.yielded(e.id);
  // 2 was drawn before 3 but committed after it: the next read still starts at 0.
  now = 1_000;
  assertEquals(cursor.readFrom(false), 0);
  const late = cursor.unseen(rows(1, 2, 3, 4));
  assertEquals(ids(late), [2, 4]);
  for (const e of late) cursor.yielded(e.id);
  assertEquals(cursor.last, 4);
  // Once the first read is older than the window, nothing behind 3 can still appear.
  now = 5_000;
  assertEquals(cursor.readFrom(false), 3);
  now = 6_000;
  assertEquals(cursor.readFrom(false), 4);
  assertEquals(ids(cursor.unseen(rows(4, 5))), [5]);
  // Paging through a backlog reads on from the last id.
  assertEquals(cursor.readFrom(true), 4);
});

Deno.test("event cursor: with no window (SQLite) it reads from the last id", () => {
  const cursor = new EventCursor(7, 0);
  assertEquals(cursor.readFrom(false), 7);
  for (const e of cursor.unseen(rows(8, 9))) cursor.yielded(e.id);
  assertEquals(cursor.readFrom(false), 9);
});
