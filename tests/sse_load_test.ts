/**
 * One orchestrator, 10,000 queued tasks, 1,000 concurrent SSE subscribers on
 * `/api/tasks/{id}/events` spread over them. Each subscriber gets its replayed history (the
 * task.created event) and stays connected; then all are closed. Closing them must leak nothing:
 * the notifier's listener count returns to where it was, and memory after close stays within a
 * generous bound of memory before.
 *
 * The tasks stay queued honestly: the orchestrator runs without its executor (execute: false),
 * as an API-only replica would, so nothing takes them and no event follows task.created.
 * Server and subscribers share this process, so the memory figures cover both sides. The bound
 * is asserted on the heap after a forced GC, which is this test's own isolate; RSS is printed
 * only: it is the whole process's, shared with the modules `deno test --parallel` runs beside
 * this one, and the allocator keeps freed pages, so it does not fall back when nothing leaks.
 */
import v8 from "node:v8";
import vm from "node:vm";
import { assert, assertEquals } from "@app/lib/assert";
import { dbTest } from "@app/db/testing";
import { startOrchestrator } from "./helpers/orchestrator.ts";

const TASKS = 10_000;
const SUBSCRIBERS = 1_000;
const CONCURRENCY = 64;
const MB = 1024 * 1024;
/** Heap after closing every subscriber may exceed heap before by less than this. */
const LEAK_BOUND = 100 * MB;

interface Subscriber {
  firstEvent: string;
  close(): Promise<void>;
}

/** Opens the task's event stream and reads until its first whole event; stays connected. */
async function subscribe(url: string): Promise<Subscriber> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 30_000);
  const response = await fetch(url, {
    headers: { accept: "text/event-stream" },
    signal: controller.signal,
  });
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  while (!buffer.includes("\n\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`${url} ended before its first event: ${buffer}`);
    buffer += value;
  }
  clearTimeout(timer);
  const firstEvent = buffer.slice(0, buffer.indexOf("\n\n"));
  return {
    firstEvent,
    async close() {
      controller.abort();
      await reader.cancel().catch(() => {});
    },
  };
}

/** Runs `work` for 0..count-1, `concurrency` at a time. */
async function pool<T>(count: number, concurrency: number, work: (i: number) => Promise<T>) {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) {
      const i = next++;
      results[i] = await work(i);
    }
  }));
  return results;
}

/** A forced GC: V8's gc, exposed at run time (deno test takes no --expose-gc of ours). */
function exposeGc(): (() => void) | undefined {
  try {
    v8.setFlagsFromString("--expose-gc");
    const gc = vm.runInNewContext("gc");
    return typeof gc === "function" ? gc : undefined;
  } catch {
    return undefined;
  }
}
const gc = exposeGc();
async function settle() {
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function memory() {
  const { rss, heapUsed } = Deno.memoryUsage();
  return { rss, heapUsed };
}

const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;

dbTest(
  "[sse] 10,000 queued tasks, 1,000 SSE subscribers: history replayed, nothing leaks on close",
  async ({ url }) => {
    const started = performance.now();
    const orch = await startOrchestrator(url, {}, { execute: false });
    const subscribers: Subscriber[] = [];
    try {
      const ids = await pool(TASKS, CONCURRENCY, async (i) => {
        const { status, body } = await orch.api<{ task_id: number; status: string }>(
          "/api/tasks",
          { method: "POST", json: { description: `Research topic ${i}`, user_id: "load" } },
        );
        if (status !== 201 || body.status !== "pending") {
          throw new Error(`submit ${i}: ${status} ${JSON.stringify(body)}`);
        }
        return body.task_id;
      });
      const submitted = performance.now();
      // Queued ("pending"), and nothing picks them up.
      const executing = await orch.api<unknown[]>("/api/tasks?status=executing&limit=5");
      assertEquals([executing.status, executing.body], [200, []]);

      const notifier = orch.orchestrator.notifier;
      await settle();
      const listenersBefore = notifier.listenerCount("task_events");
      const before = memory();

      // Spread over the tasks: every tenth one.
      const step = TASKS / SUBSCRIBERS;
      subscribers.push(
        ...await pool(
          SUBSCRIBERS,
          CONCURRENCY * 4,
          (i) => subscribe(`${orch.url}/api/tasks/${ids[i * step]}/events`),
        ),
      );
      const opened = performance.now();
      for (const subscriber of subscribers) {
        assert(
          subscriber.firstEvent.includes("event: task.created"),
          `first event is not task.created: ${subscriber.firstEvent}`,
        );
      }
      // Every stream is past its replay and waiting on the notifier.
      const deadline = Date.now() + 20_000;
      while (notifier.listenerCount("task_events") < listenersBefore + SUBSCRIBERS) {
        if (Date.now() > deadline) throw new Error("subscribers did not all start listening");
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const listenersOpen = notifier.listenerCount("task_events");
      await settle();
      const open = memory();

      await Promise.all(subscribers.splice(0).map((subscriber) => subscriber.close()));
      // The server sees the disconnects at its next write or wake-up: wait for the streams.
      const closeDeadline = Date.now() + 30_000;
      while (notifier.listenerCount("task_events") > listenersBefore) {
        if (Date.now() > closeDeadline) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const listenersAfter = notifier.listenerCount("task_events");
      await settle();
      const after = memory();

      console.log(
        `sse load: ${TASKS} tasks submitted in ${((submitted - started) / 1000).toFixed(1)} s, ` +
          `${SUBSCRIBERS} subscribers opened in ${((opened - submitted) / 1000).toFixed(1)} s` +
          (gc ? " (memory read after a forced GC)" : " (no GC could be forced)"),
      );
      console.log(
        `  task_events listeners: before ${listenersBefore}, open ${listenersOpen}, ` +
          `after close ${listenersAfter}`,
      );
      console.log(
        `  heap used: before ${mb(before.heapUsed)}, open ${mb(open.heapUsed)}, ` +
          `after close ${mb(after.heapUsed)}`,
      );
      console.log(
        `  rss: before ${mb(before.rss)}, open ${mb(open.rss)}, after close ${mb(after.rss)}`,
      );

      assertEquals(listenersOpen, listenersBefore + SUBSCRIBERS);
      assertEquals(listenersAfter, listenersBefore, "closing the subscribers unsubscribes them");
      assert(
        after.heapUsed - before.heapUsed < LEAK_BOUND,
        `heap grew by ${mb(after.heapUsed - before.heapUsed)} after closing every subscriber`,
      );
      assertEquals((await orch.api("/health")).status, 200);
    } finally {
      await Promise.all(subscribers.map((subscriber) => subscriber.close()));
      await orch.close();
    }
  },
);
