import { assert, assertEquals, assertRejects } from "@app/lib/assert";
import { dbTest } from "../testing.ts";
import { AgentAnswers, claimAgentAnswer } from "./agent_answers.ts";

const options = { agent: "test-agent", ttlMs: 60_000 };

dbTest(
  "[agent answers] a key's work runs once; a repeat gets the stored answer",
  async ({ db }) => {
    const answers = new AgentAnswers(db, options);
    let runs = 0;
    const work = () => Promise.resolve({ summary: "done", run: ++runs });
    assertEquals(await answers.once("k", work), {
      answer: { summary: "done", run: 1 },
      replayed: false,
    });
    assertEquals(await answers.once("k", work), {
      answer: { summary: "done", run: 1 },
      replayed: true,
    });
    // Another process of the agent (its own instance and connection) finds it too.
    const elsewhere = new AgentAnswers(db, options);
    assertEquals((await elsewhere.once("k", work)).answer, { summary: "done", run: 1 });
    assertEquals(runs, 1);
    assertEquals(answers.stats, { computed: 1, replayed: 1 });
    // Keys are per agent.
    const other = new AgentAnswers(db, { ...options, agent: "other-agent" });
    assertEquals((await other.once("k", work)).answer, { summary: "done", run: 2 });
  },
);

dbTest("[agent answers] a failed run stores nothing: the next call works again", async ({ db }) => {
  const answers = new AgentAnswers(db, options);
  await assertRejects(
    () => answers.once("k", () => Promise.reject(new Error("boom"))),
    Error,
    "boom",
  );
  assertEquals(await answers.once("k", () => Promise.resolve("second")), {
    answer: "second",
    replayed: false,
  });
});

dbTest("[agent answers] a repeat while the first still works waits for its answer", async (t) => {
  const first = new AgentAnswers(t.db, options);
  const second = new AgentAnswers(t.reconnect(), { ...options, pollMs: 10 });
  let finish!: (value: string) => void;
  const working = first.once("k", () => new Promise<string>((resolve) => (finish = resolve)));
  // The second caller (another process) sees the claim, then waits.
  while (!finish) await new Promise((r) => setTimeout(r, 5));
  let secondRuns = 0;
  const repeat = second.once("k", () => Promise.resolve(`second ${++secondRuns}`));
  // And a repeat in the first process waits on its own run.
  const local = first.once("k", () => Promise.resolve("never"));
  finish("first");
  assertEquals(await working, { answer: "first", replayed: false });
  assertEquals(await repeat, { answer: "first", replayed: true });
  assertEquals(await local, { answer: "first", replayed: true });
  assertEquals(secondRuns, 0);
});

dbTest("[agent answers] a claim its worker stopped renewing is taken over", async ({ db }) => {
  const claim = await claimAgentAnswer(db, "test-agent", "k", { ttlMs: 60_000, lockMs: 60_000 });
  assertEquals(claim.kind, "claimed");
  assertEquals(
    (await claimAgentAnswer(db, "test-agent", "k", { ttlMs: 60_000, lockMs: 60_000 })).kind,
    "working",
  );
  await db.updateTable("agent_answers").set({ locked_until: "2000-01-01T00:00:00.000Z" }).execute();
  const answers = new AgentAnswers(db, options);
  const result = await answers.once("k", () => Promise.resolve("redone"));
  assertEquals(result, { answer: "redone", replayed: false });
  const row = await db.selectFrom("agent_answers").select("answer").executeTakeFirstOrThrow();
  assert(row.answer?.includes("redone"));
});

dbTest(
  "[agent answers] many keys at once: claims and answers go in batches, each to its key",
  async ({ db }) => {
    const answers = new AgentAnswers(db, { ...options, pollMs: 5 });
    const keys = Array.from({ length: 12 }, (_, i) => `key-${i}`);
    let runs = 0;
    const work = (key: string) => () => Promise.resolve({ for: key, run: ++runs });
    // The same key twice at once: one claim takes it, the other waits for its answer.
    const results = await Promise.all(
      [...keys, "key-0"].map((key) => answers.once(key, work(key))),
    );
    assertEquals(results.map((r) => (r.answer as { for: string }).for), [...keys, "key-0"]);
    assertEquals(runs, keys.length, "key-0 ran once");
    assertEquals(results.filter((r) => r.replayed).length, 1);
    assert(answers.claims.stats.batches < answers.claims.stats.calls, "claims went together");
    assert(answers.answers.stats.batches < answers.answers.stats.calls, "answers went together");
    // Stored where another process of the agent finds them, each under its own key.
    const elsewhere = new AgentAnswers(db, options);
    for (const key of keys) {
      const again = await elsewhere.once(key, () => Promise.reject(new Error("ran again")));
      assertEquals({ for: (again.answer as { for: string }).for, replayed: again.replayed }, {
        for: key,
        replayed: true,
      });
    }
  },
);
