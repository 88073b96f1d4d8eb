/** Group commit: writes of one moment share a transaction; a bad one fails only its caller. */
import { assertEquals, assertRejects } from "@app/lib/assert";
import { dbTest } from "./testing.ts";
import { WriteBatcher } from "./write_batcher.ts";
import { UniqueViolation } from "./errors.ts";
import { createAgent } from "./repositories/agents.ts";
import { createSession } from "./repositories/sessions.ts";

const agent = (name: string) => ({ name, agent_type: "api" as const, endpoint: "http://x" });

dbTest(
  "[db] write batcher: writes of one moment commit together in one transaction",
  async ({ db }) => {
    const batcher = new WriteBatcher(db);
    const session = await createSession(db, { user_id: "u" });
    const names = await Promise.all(
      ["A", "B", "C"].map((name) =>
        batcher.run(async (trx, appends) => {
          appends.message({ session_id: session.session_id, role: "user", content: name });
          return (await createAgent(trx, agent(name))).name;
        })
      ),
    );
    assertEquals(names, ["A", "B", "C"]);
    assertEquals(batcher.stats, { batches: 1, writes: 3 });
    const messages = await db.selectFrom("messages").select("content").orderBy("id").execute();
    assertEquals(
      messages.map((m) => m.content),
      ["A", "B", "C"],
    );
  },
);

dbTest(
  "[db] write batcher: a failing write is retried alone and fails only its own caller",
  async ({ db }) => {
    const batcher = new WriteBatcher(db);
    const session = await createSession(db, { user_id: "u" });
    const runs = new Map<string, number>();
    const write = (name: string, content: string) =>
      batcher.run(async (trx, appends) => {
        runs.set(content, (runs.get(content) ?? 0) + 1);
        appends.message({ session_id: session.session_id, role: "user", content });
        return (await createAgent(trx, agent(name))).name;
      });
    // The second write repeats the first's agent name: the batch fails on it and rolls back.
    const [first, duplicate, third] = await Promise.allSettled([
      write("Research", "first"),
      write("Research", "duplicate"),
      write("Writer", "third"),
    ]);
    assertEquals(first, { status: "fulfilled", value: "Research" });
    assertEquals(third, { status: "fulfilled", value: "Writer" });
    assertEquals(duplicate.status, "rejected");
    await assertRejects(
      () => Promise.reject((duplicate as PromiseRejectedResult).reason),
      UniqueViolation,
    );
    // The batch ran up to the bad write and was rolled back; then each write ran alone.
    assertEquals(Object.fromEntries(runs), { first: 2, duplicate: 2, third: 1 });
    // What the failed batch wrote was rolled back: every good write's rows are there once, the
    // bad write's not at all.
    const agents = await db.selectFrom("agents").select("name").orderBy("id").execute();
    assertEquals(agents.map((a) => a.name), ["Research", "Writer"]);
    const messages = await db.selectFrom("messages").select("content").orderBy("id").execute();
    assertEquals(messages.map((m) => m.content), ["first", "third"]);
    // The batcher goes on: the next write commits as usual.
    assertEquals(await write("Planner", "after"), "Planner");
  },
);
