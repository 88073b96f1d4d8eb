/**
 * The database checkpointer, conformance style (after LangGraph's checkpoint-validation specs):
 * put / getTuple / list / putWrites / deleteThread, each answer compared with LangGraph's own
 * MemorySaver given the same calls; then a real graph interrupted on one connection and resumed
 * on another, as a restarted agent would.
 */
import type { RunnableConfig } from "@langchain/core/runnables";
import {
  type BaseCheckpointSaver,
  type Checkpoint,
  type CheckpointMetadata,
  type CheckpointTuple,
  emptyCheckpoint,
  ERROR,
  INTERRUPT,
  MemorySaver,
  TASKS,
  uuid6,
} from "@langchain/langgraph-checkpoint";
import {
  Annotation,
  Command,
  END,
  interrupt,
  isInterrupted,
  START,
  StateGraph,
} from "@langchain/langgraph";
import { assert, assertEquals, assertRejects } from "@app/lib/assert";
import { dbTest } from "@app/db/testing";
import type { Database } from "@app/db";
import type { Kysely } from "kysely";
import { KyselyCheckpointSaver } from "./checkpoint_saver.ts";

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** A tuple as compared: `undefined` fields dropped (absent and undefined mean the same). */
function plain(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

function checkpointAt(step: number, values: Record<string, unknown>): Checkpoint {
  return {
    ...emptyCheckpoint(),
    id: uuid6(step),
    channel_values: values,
    channel_versions: Object.fromEntries(Object.keys(values).map((k) => [k, step + 1])),
    versions_seen: { node: { start: step } },
  };
}

const meta = (source: CheckpointMetadata["source"], step: number): CheckpointMetadata => ({
  source,
  step,
  parents: {},
});

/** Two threads, two namespaces, three checkpoints each; ids made once, for every saver. */
function history(threads: string[]) {
  return threads.flatMap((thread_id) =>
    ["", "child"].map((checkpoint_ns) => ({
      thread_id,
      checkpoint_ns,
      checkpoints: [-1, 0, 1].map((step) => ({
        step,
        checkpoint: checkpointAt(step + 1, {
          topic: `${thread_id} ${checkpoint_ns} ${step}`,
          n: step,
        }),
      })),
    }))
  );
}

/** The same history on any saver, each checkpoint the parent of the next, with writes. */
async function writeHistory(
  saver: BaseCheckpointSaver,
  threads: ReturnType<typeof history>,
): Promise<void> {
  for (const { thread_id, checkpoint_ns, checkpoints } of threads) {
    let config: RunnableConfig = { configurable: { thread_id, checkpoint_ns } };
    for (const { step, checkpoint } of checkpoints) {
      config = await saver.put(config, checkpoint, meta(step < 0 ? "input" : "loop", step), {});
      await saver.putWrites(config, [["topic", `next ${step}`], ["n", step + 1]], "task-b");
      await saver.putWrites(config, [["topic", "after by path"]], "task-a", "~__pregel_pull,a");
    }
  }
}

/** Our saver and LangGraph's MemorySaver, given the same history of two threads. */
async function sameHistory(db: Kysely<Database>) {
  const ours = new KyselyCheckpointSaver(db);
  const reference = new MemorySaver();
  const threads = [crypto.randomUUID(), crypto.randomUUID()];
  const written = history(threads);
  await writeHistory(ours, written);
  await writeHistory(reference, written);
  return { ours, reference, threads };
}

dbTest("[checkpointer] put and getTuple agree with LangGraph's MemorySaver", async ({ db }) => {
  const { ours, reference, threads } = await sameHistory(db);

  const configs: RunnableConfig[] = [];
  for (const tuple of await all(reference.list({}))) configs.push(tuple.config);
  assertEquals(configs.length, 12);
  for (const thread_id of [...threads, "no-such-thread"]) {
    for (const checkpoint_ns of [undefined, "", "child"]) {
      configs.push({ configurable: { thread_id, checkpoint_ns } });
    }
  }
  for (const config of configs) {
    const expected = await reference.getTuple(config);
    const actual = await ours.getTuple(config);
    assertEquals(plain(actual), plain(expected), JSON.stringify(config));
  }
  // The latest checkpoint, with its parent and its writes in LangGraph's order (path first).
  const latest = await ours.getTuple({ configurable: { thread_id: threads[0] } });
  assertEquals(latest?.checkpoint.channel_values, { topic: `${threads[0]}  1`, n: 1 });
  assertEquals(latest?.metadata, meta("loop", 1));
  assert(latest?.parentConfig?.configurable?.checkpoint_id);
  // Writes stored without a task path come first, as LangGraph applies them.
  assertEquals(latest?.pendingWrites, [
    ["task-b", "topic", "next 1"],
    ["task-b", "n", 2],
    ["task-a", "topic", "after by path"],
  ]);
});

dbTest("[checkpointer] list filters as MemorySaver does", async ({ db }) => {
  const { ours, reference, threads } = await sameHistory(db);
  const middle = (await all(reference.list({ configurable: { thread_id: threads[0] } })))[2];

  let cases = 0;
  for (const thread_id of [undefined, ...threads, "no-such-thread"]) {
    for (const checkpoint_ns of [undefined, "", "child"]) {
      for (const limit of [undefined, 1, 2]) {
        for (const before of [undefined, middle.config]) {
          for (const filter of [undefined, {}, { source: "input" }, { source: "loop", step: 1 }]) {
            const config = { configurable: { thread_id, checkpoint_ns } };
            const options = { limit, before, filter };
            const expected = await all(reference.list(config, options));
            const actual = await all(ours.list(config, options));
            const label = JSON.stringify({ thread_id, checkpoint_ns, limit, before, filter });
            if (thread_id === undefined || checkpoint_ns === undefined) {
              // MemorySaver walks thread by thread and namespace by namespace, a database all
              // by checkpoint id: the same tuples, in another order (the spec's own test
              // compares them as a set too).
              const ids = (ts: CheckpointTuple[]) => ts.map((t) => t.checkpoint.id).sort();
              if (limit === undefined) assertEquals(ids(actual), ids(expected), label);
              else assertEquals(actual.length, expected.length, label);
            } else assertEquals(plain(actual), plain(expected), label);
            cases++;
          }
        }
      }
    }
  }
  assertEquals(cases, 288);
});

dbTest(
  "[checkpointer] putWrites keeps a task's writes once; errors and interrupts replace",
  async ({ db }) => {
    const saver = new KyselyCheckpointSaver(db);
    const config = await saver.put(
      { configurable: { thread_id: "t", checkpoint_ns: "" } },
      checkpointAt(0, {}),
      meta("loop", 0),
      {},
    );
    await saver.putWrites(config, [["animals", "dog"]], "pet_task");
    await saver.putWrites(config, [["animals", "cat"]], "pet_task");
    await saver.putWrites(config, [[INTERRUPT, { value: "first question" }]], "ask_task");
    await saver.putWrites(config, [[INTERRUPT, { value: "second question" }]], "ask_task");
    await saver.putWrites(config, [[ERROR, { message: "boom" }]], "ask_task");
    const writes = (await saver.getTuple(config))?.pendingWrites;
    // Special writes sort by their fixed slots (interrupt -3, error -1).
    assertEquals(writes, [
      ["ask_task", INTERRUPT, { value: "second question" }],
      ["ask_task", ERROR, { message: "boom" }],
      ["pet_task", "animals", "dog"],
    ]);

    await assertRejects(
      () => saver.putWrites({ configurable: { checkpoint_id: "x" } }, [["a", 1]], "t"),
      Error,
      "thread_id",
    );
    await assertRejects(
      () => saver.putWrites({ configurable: { thread_id: "t" } }, [["a", 1]], "t"),
      Error,
      "checkpoint_id",
    );
    await assertRejects(
      () => saver.put({ configurable: {} }, checkpointAt(1, {}), meta("loop", 1), {}),
      Error,
      "thread_id",
    );
  },
);

dbTest("[checkpointer] deleteThread removes one thread's checkpoints and writes", async (t) => {
  const saver = new KyselyCheckpointSaver(t.db);
  await writeHistory(saver, history(["gone", "kept"]));
  await saver.deleteThread("gone");
  assertEquals(await saver.getTuple({ configurable: { thread_id: "gone" } }), undefined);
  assertEquals((await all(saver.list({ configurable: { thread_id: "gone" } }))).length, 0);
  assertEquals((await all(saver.list({ configurable: { thread_id: "kept" } }))).length, 6);
  const left = await t.db.selectFrom("langgraph_checkpoint_writes").select("thread_id")
    .distinct().execute();
  assertEquals(left.map((r) => r.thread_id), ["kept"]);
  // Threads nobody came back to go after a while.
  assertEquals(await saver.purgeThreadsBefore(new Date(Date.now() - 60_000)), 0);
  assertEquals(await saver.purgeThreadsBefore(new Date(Date.now() + 60_000)), 1);
  assertEquals(await saver.getTuple({ configurable: { thread_id: "kept" } }), undefined);
});

dbTest("[checkpointer] a pre-v4 checkpoint gets its parent's pending sends", async ({ db }) => {
  const saver = new KyselyCheckpointSaver(db);
  const old = (step: number): Checkpoint => ({
    v: 1,
    id: uuid6(step),
    ts: "2024-04-19T17:19:07.952Z",
    channel_values: {},
    channel_versions: {},
    versions_seen: {},
  });
  let config = await saver.put({ configurable: { thread_id: "old" } }, old(0), meta("loop", 0), {});
  await saver.putWrites(config, [[TASKS, "send-1"], [TASKS, "send-2"]], "task-1");
  await saver.putWrites(config, [[TASKS, "send-3"]], "task-2");
  assertEquals((await saver.getTuple(config))?.checkpoint.channel_values, {});
  config = await saver.put(config, old(1), meta("loop", 1), {});
  const [latest] = await all(saver.list({ configurable: { thread_id: "old" } }, { limit: 1 }));
  assertEquals(latest.checkpoint.channel_values, { [TASKS]: ["send-1", "send-2", "send-3"] });
  assert(latest.checkpoint.channel_versions[TASKS] !== undefined);
});

const AskState = Annotation.Root({
  request: Annotation<string>,
  subject: Annotation<string>,
  report: Annotation<string>,
});

function askingGraph(saver: BaseCheckpointSaver) {
  return new StateGraph(AskState)
    .addNode("ask", (state) => ({
      subject: state.request.includes("it") ? interrupt<string, string>("What is it?") : "",
    }))
    .addNode("research", (state) => ({ report: `Research on ${state.subject}` }))
    .addEdge(START, "ask")
    .addEdge("ask", "research")
    .addEdge("research", END)
    .compile({ checkpointer: saver });
}

dbTest("[checkpointer] a graph interrupted on one connection resumes on another", async (t) => {
  const config = { configurable: { thread_id: crypto.randomUUID() }, durability: "sync" as const };
  const first = askingGraph(new KyselyCheckpointSaver(t.db));
  const asked = await first.invoke({ request: "Research it" }, config);
  assert(isInterrupted(asked), JSON.stringify(asked));
  assertEquals(asked.__interrupt__.map((i) => i.value), ["What is it?"]);

  // Another process: its own connection, its own saver, the same rows.
  const second = askingGraph(new KyselyCheckpointSaver(t.reconnect()));
  assertEquals((await second.getState(config)).next, ["ask"]);
  const done = await second.invoke(new Command({ resume: "tidal power" }), config);
  assertEquals(done.report, "Research on tidal power");
  assertEquals((await second.getState(config)).next, []);
});
