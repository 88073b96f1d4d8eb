/** A task's event stream: replay, live, its end, heartbeats, letting go, and under load. */
import { assert, assertEquals } from "@app/lib/assert";
import { dbTest, openTestDatabase, postgresTestUrl, setTaskRow } from "@app/db/testing";
import { appendEvent } from "@app/db";
import { isTerminalEvent, taskEvent } from "@app/lib/task_events";
import { startOrchestrator } from "../tests/helpers/orchestrator.ts";
import { startScriptedAgent } from "../tests/helpers/scripted_agent.ts";
import { readSse } from "../tests/helpers/sse.ts";
import {
  taskEventStream,
  type TaskEventStreamOptions,
  type TaskStreamItem,
} from "./task_event_stream.ts";

type Orch = Awaited<ReturnType<typeof startOrchestrator>>;

/** An orchestrator that stores tasks but runs none: the test writes their events itself. */
async function withQuietOrchestrator(url: string, fn: (orch: Orch) => Promise<void>) {
  const orch = await startOrchestrator(url, {}, { execute: false });
  try {
    await fn(orch);
  } finally {
    await orch.close();
  }
}

async function submit(orch: Orch, description = "Research bees"): Promise<number> {
  const { status, body } = await orch.api<{ task_id: number }>("/api/tasks", {
    method: "POST",
    json: { description },
  });
  assertEquals(status, 201);
  return body.task_id;
}

function stream(orch: Orch, taskId: number, options: TaskEventStreamOptions = {}) {
  const { db, notifier } = orch.orchestrator;
  return taskEventStream({ db, notifier }, taskId, options);
}

async function collect(items: AsyncIterable<TaskStreamItem>): Promise<TaskStreamItem[]> {
  const all: TaskStreamItem[] = [];
  for await (const item of items) all.push(item);
  return all;
}

const typesOf = (items: TaskStreamItem[]) =>
  items.map((item) => item.kind === "event" ? item.message.type : "heartbeat");

/** Writes an event as the executor does: the row, then the signal. */
async function write(orch: Orch, taskId: number, event: ReturnType<typeof taskEvent>) {
  const stored = await appendEvent(orch.orchestrator.db, taskId, event);
  orch.orchestrator.notifier.publish("task_events", String(taskId));
  return stored;
}

async function complete(orch: Orch, taskId: number) {
  await setTaskRow(orch.orchestrator.db, taskId, {
    status: "completed",
    result: { summary: "done" },
    completed_at: new Date().toISOString(),
  });
  return await write(
    orch,
    taskId,
    taskEvent("task.completed", { status: "completed", result: { summary: "done" } }),
  );
}

/** Waits until `check` holds, polling (the condition, not the time, is what is asserted). */
async function until(check: () => boolean, what: string) {
  const deadline = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

dbTest("[sse stream] replays the history after an id, ending with the terminal event", async ({
  url,
}) => {
  await withQuietOrchestrator(url, async (orch) => {
    const id = await submit(orch);
    const started = await write(
      orch,
      id,
      taskEvent("step.started", { step_number: 1, agent_id: null, agent_name: null }),
    );
    const end = await complete(orch, id);

    const whole = await collect(stream(orch, id));
    assertEquals(typesOf(whole), ["task.created", "step.started", "task.completed"]);
    const ids = whole.map((item) => item.kind === "event" ? item.id : -1);
    assertEquals(ids.slice(1), [started.id, end.id]);
    const [first] = whole;
    assert(first.kind === "event" && first.message.type === "task.created");
    assertEquals(first.message.task_id, id);

    const after = await collect(stream(orch, id, { afterId: started.id }));
    assertEquals(after.map((item) => item.kind === "event" && item.id), [end.id]);
    // A client reconnecting after the end is told the end again, rather than left waiting.
    const afterEnd = await collect(stream(orch, id, { afterId: end.id }));
    assertEquals(afterEnd.map((item) => item.kind === "event" && item.id), [end.id]);
  });
});

dbTest("[sse stream] live events arrive as the notifier signals them", async ({ url }) => {
  await withQuietOrchestrator(url, async (orch) => {
    const id = await submit(orch);
    // No periodic look: without the notifier's wake-up, the stream would wait forever.
    const events = stream(orch, id, { recheckMs: 600_000, heartbeatMs: 600_000 });
    assertEquals(typesOf([(await events.next()).value!]), ["task.created"]);

    const next = events.next();
    await write(
      orch,
      id,
      taskEvent("step.started", { step_number: 1, agent_id: 1, agent_name: "a" }),
    );
    assertEquals(typesOf([(await next).value!]), ["step.started"]);

    const last = events.next();
    await complete(orch, id);
    assertEquals(typesOf([(await last).value!]), ["task.completed"]);
    assertEquals((await events.next()).done, true, "the stream ends with the terminal event");
  });
});

dbTest(
  "[sse stream] a task finished before its terminal event is written: the stream waits for it",
  async ({ url }) => {
    await withQuietOrchestrator(url, async (orch) => {
      const id = await submit(orch);
      // The status commits first, as cancel does today: the stream must not end here.
      await setTaskRow(orch.orchestrator.db, id, {
        status: "cancelled",
        completed_at: new Date().toISOString(),
      });
      const events = stream(orch, id, { terminalGraceMs: 600_000 });
      assertEquals(typesOf([(await events.next()).value!]), ["task.created"]);
      const next = events.next();
      await new Promise((resolve) => setTimeout(resolve, 200)); // it looks, and looks again
      const end = await write(orch, id, taskEvent("task.cancelled", { status: "cancelled" }));
      const item = (await next).value!;
      assert(item.kind === "event");
      assertEquals([item.message.type, item.id], ["task.cancelled", end.id]);
      assertEquals((await events.next()).done, true);
    });
  },
);

dbTest(
  "[sse stream] a finished task whose terminal event never comes ends with one from its row",
  async ({ url }) => {
    await withQuietOrchestrator(url, async (orch) => {
      const id = await submit(orch);
      await setTaskRow(orch.orchestrator.db, id, {
        status: "failed",
        error: "the agent gave up",
        completed_at: new Date().toISOString(),
      });
      const items = await collect(stream(orch, id, { terminalGraceMs: 100 }));
      assertEquals(typesOf(items), ["task.created", "task.failed"]);
      const end = items.at(-1)!;
      assert(end.kind === "event" && end.message.type === "task.failed");
      assertEquals([end.id, end.message.error, end.message.task_id], [
        null,
        "the agent gave up",
        id,
      ]);
    });
  },
);

dbTest("[sse stream] a quiet stream yields heartbeats", async ({ url }) => {
  await withQuietOrchestrator(url, async (orch) => {
    const id = await submit(orch);
    const events = stream(orch, id, { heartbeatMs: 30, recheckMs: 10 });
    assertEquals(typesOf([(await events.next()).value!]), ["task.created"]);
    assertEquals(typesOf([(await events.next()).value!]), ["heartbeat"]);
    assertEquals(typesOf([(await events.next()).value!]), ["heartbeat"]);
    await events.return();
  });
});

dbTest(
  "[sse stream] a client going away ends the stream and releases its subscription",
  async ({ url }) => {
    await withQuietOrchestrator(url, async (orch) => {
      const { notifier } = orch.orchestrator;
      const id = await submit(orch);
      const before = notifier.listenerCount("task_events");

      // The iterator: an abort wakes it from its wait.
      const gone = new AbortController();
      const events = stream(orch, id, { signal: gone.signal, recheckMs: 600_000 });
      await events.next();
      assertEquals(notifier.listenerCount("task_events"), before + 1);
      const waiting = events.next();
      gone.abort();
      assertEquals((await waiting).done, true);
      assertEquals(notifier.listenerCount("task_events"), before);

      // The route: a client that hangs up frees the server's side.
      const client = new AbortController();
      const response = await fetch(`${orch.url}/api/tasks/${id}/events`, {
        signal: client.signal,
      });
      const reader = response.body!.getReader();
      await reader.read(); // task.created
      await until(() => notifier.listenerCount("task_events") === before + 1, "the subscription");
      client.abort();
      await reader.cancel().catch(() => {});
      await until(() => notifier.listenerCount("task_events") === before, "the release");
    });
  },
);

dbTest(
  "[sse stream] under load, every stream of a completed, failed or cancelled task ends with its terminal event",
  async ({ url }) => {
    const TASKS = 120;
    const agent = startScriptedAgent({
      name: "Worker",
      capabilities: ["research"],
      behave: ({ instruction }) =>
        instruction.includes("doomed")
          ? { status: 400 }
          : instruction.includes("endless")
          ? { hang: true }
          : { delayMs: 5 },
    });
    const orch = await startOrchestrator(url);
    try {
      const registered = await orch.api("/api/agents", {
        method: "POST",
        json: {
          name: "Worker",
          agent_type: "api",
          endpoint: agent.url,
          capabilities: ["research"],
        },
      });
      assertEquals(registered.status, 201);
      const kinds = ["fine", "doomed", "endless"] as const;
      const expected = { fine: "task.completed", doomed: "task.failed", endless: "task.cancelled" };
      const tasks = await Promise.all(
        Array.from({ length: TASKS }, async (_, i) => {
          const kind = kinds[i % 3];
          const id = await submit(orch, `Research the ${kind} topic ${i}`);
          // Two streams per task: one now, one a little later (live, or replayed).
          const streams = [readSse(`${orch.url}/api/tasks/${id}/events`, { timeoutMs: 60_000 })];
          if (kind === "endless") {
            await until(
              () => agent.calls.has(`Research the ${kind} topic ${i}`),
              `task ${id}'s agent call`,
            );
            const cancelled = await orch.api(`/api/tasks/${id}/cancel`, { method: "POST" });
            assertEquals(cancelled.status, 200);
          }
          streams.push(readSse(`${orch.url}/api/tasks/${id}/events`, { timeoutMs: 60_000 }));
          return { id, kind, streams: await Promise.all(streams) };
        }),
      );
      for (const { id, kind, streams } of tasks) {
        for (const events of streams) {
          const types = events.map((e) => e.event!);
          assertEquals(types[0], "task.created", `task ${id}`);
          assertEquals(types.at(-1), expected[kind], `task ${id} (${kind}): ${types}`);
          assertEquals(types.filter(isTerminalEvent).length, 1, `task ${id}: one end`);
        }
      }
    } finally {
      await orch.close();
      await agent.close();
    }
  },
);

Deno.test({
  name: "[sse stream] an event that commits after a later one is still yielded (postgres)",
  ignore: !postgresTestUrl(),
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const t = await openTestDatabase("postgres");
    try {
      await withQuietOrchestrator(t.url, async (orch) => {
        const id = await submit(orch);
        const events = stream(orch, id, { recheckMs: 600_000, heartbeatMs: 600_000 });
        assertEquals(typesOf([(await events.next()).value!]), ["task.created"]);
        const progress = (text: string) =>
          taskEvent("step.progress", { step_number: 1, agent_id: 1, status: null, text });

        // Two writers, as two write batches are: the first draws the lower id, the second
        // commits first.
        let release!: () => void;
        const held = new Promise<void>((resolve) => (release = resolve));
        let inserted!: () => void;
        const early = new Promise<void>((resolve) => (inserted = resolve));
        const first = orch.orchestrator.db.transaction().execute(async (trx) => {
          const event = await appendEvent(trx, id, progress("first"));
          inserted();
          await held;
          return event;
        });
        await early;
        const second = await write(orch, id, progress("second"));
        const item = (await events.next()).value!;
        assert(item.kind === "event" && item.message.type === "step.progress");
        assertEquals(item.id, second.id);

        const next = events.next();
        release();
        const late = await first;
        assert(late.id < second.id);
        orch.orchestrator.notifier.publish("task_events", String(id));
        const lateItem = await Promise.race([
          next,
          new Promise<never>((_, reject) =>
            setTimeout(() => reject(new Error("the late event never came")), 15_000)
          ),
        ]);
        assert(lateItem.value?.kind === "event");
        assertEquals(lateItem.value.id, late.id, "the event that committed late");

        const end = events.next();
        await complete(orch, id);
        assertEquals(typesOf([(await end).value!]), ["task.completed"]);
      });
    } finally {
      await t.close();
    }
  },
});
