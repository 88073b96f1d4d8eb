/** The offline graph on worker threads (as `main.ts` runs it) answers as it does in-process:
 * the same report, every step for streams, cancellation; and a blocking SendMessage's task. */
import { ClientFactory } from "@a2a-js/sdk/client";
import { type StreamResponse, TaskState } from "@a2a-js/sdk";
import { assert, assertEquals, assertRejects } from "@app/lib/assert";
import { startAgent } from "./testdata/start_agent.ts";
import { asTask, reportOf, sendRequest, userMessage, waitFor } from "./testdata/a2a.ts";
import { GraphPool } from "./graph/pool.ts";

const opts = { sanitizeResources: false, sanitizeOps: false };
const TEXT = "Research how Norway adopted electric cars. Norway sold 90% electric cars in 2024.";

Deno.test("[a2a] graph workers: SendMessage gives the in-process report", opts, async () => {
  const pooled = await startAgent({ graphWorkers: 2 });
  const local = await startAgent();
  try {
    const reports = [];
    for (const agent of [pooled, local]) {
      const client = await new ClientFactory().createFromUrl(agent.url);
      const task = asTask(await client.sendMessage(sendRequest(userMessage(TEXT))));
      assertEquals(task.status?.state, TaskState.TASK_STATE_COMPLETED);
      // A blocking call publishes no step: the history is the question and the answer.
      assertEquals(task.history.map((m) => m.role), [1, 2]);
      assertEquals(task.history[1].parts[0].content?.value, reportOf(task).summary);
      assertEquals(task.status?.message?.messageId, task.history[1].messageId);
      const fetched = await client.getTask({ tenant: "", id: task.id });
      assertEquals(reportOf(fetched), reportOf(task));
      reports.push(reportOf(task));
    }
    assertEquals(reports[0], reports[1]);
    assertEquals(reports[0].offline, true);
  } finally {
    await pooled.close();
    await local.close();
  }
});

Deno.test("[a2a] graph workers: a stream reports every step, in order", opts, async () => {
  const agent = await startAgent({ graphWorkers: 1 });
  try {
    const client = await new ClientFactory().createFromUrl(agent.url);
    const events: StreamResponse[] = [];
    for await (const event of client.sendMessageStream(sendRequest(userMessage(TEXT)))) {
      events.push(event);
    }
    const steps = events.flatMap((e) => {
      const metadata = e.payload?.$case === "statusUpdate"
        ? e.payload.value.status?.message?.metadata
        : undefined;
      return metadata?.node ? [`${metadata.node} ${metadata.phase}`] : [];
    });
    assertEquals(steps, [
      "plan started",
      "plan finished",
      "gather started",
      "gather finished",
      "analyse started",
      "analyse finished",
      "synthesise started",
      "synthesise finished",
    ]);
    assertEquals(events.at(-2)?.payload?.$case, "artifactUpdate");
    const last = events.at(-1)!.payload!;
    assertEquals(
      last.$case === "statusUpdate" ? last.value.status?.state : undefined,
      TaskState.TASK_STATE_COMPLETED,
    );
  } finally {
    await agent.close();
  }
});

Deno.test("[a2a] graph workers: CancelTask stops the run in its worker", opts, async () => {
  const agent = await startAgent({ graphWorkers: 1, nodeDelayMs: 250 });
  try {
    const client = await new ClientFactory().createFromUrl(agent.url);
    const started = asTask(
      await client.sendMessage(sendRequest(userMessage("A slow research task."), true)),
    );
    // Cancelled once the worker (which starts cold) is into the graph.
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const running = await client.getTask({ tenant: "", id: started.id });
      if (running.history.some((m) => m.metadata?.node === "gather")) break;
      await waitFor(20);
    }
    const cancelled = await client.cancelTask({ tenant: "", id: started.id, metadata: undefined });
    assertEquals(cancelled.status?.state, TaskState.TASK_STATE_CANCELED);
    await waitFor(1_200);
    const later = await client.getTask({ tenant: "", id: started.id });
    assertEquals(later.status?.state, TaskState.TASK_STATE_CANCELED);
    assertEquals(later.artifacts, []);
    const steps = later.history.map((m) => m.metadata?.node).filter(Boolean);
    assert(steps.includes("plan"), `the run had started: ${steps}`);
    assert(!steps.includes("synthesise"), `the graph kept running: ${steps}`);
  } finally {
    await agent.close();
  }
});

Deno.test("[a2a] graph pool: abort and close reject the runs waiting on it", opts, async () => {
  const pool = new GraphPool(1, { nodeDelayMs: 200 });
  await pool.ready;
  assertEquals(pool.size, 1);
  const input = { instruction: "Slow.", texts: [], data: {}, conversation: [] };
  try {
    const controller = new AbortController();
    const aborted = pool.run(input, { signal: controller.signal });
    controller.abort(new DOMException("stop", "AbortError"));
    assertEquals((await assertRejects(() => aborted) as Error).message, "stop");
    const open = pool.run(input);
    pool.close();
    await assertRejects(() => open, Error, "closed");
    await assertRejects(() => pool.run(input), Error, "closed");
  } finally {
    pool.close();
  }
});

Deno.test(
  "[a2a] graph pool: workers that cannot start leave runs to this thread",
  opts,
  async () => {
    const pool = new GraphPool(2, {
      module: new URL("./testdata/no_such_worker.ts", import.meta.url),
    });
    try {
      const steps: string[] = [];
      const report = await pool.run(
        { instruction: "Research Oslo trams.", texts: [], data: {}, conversation: [] },
        { onNode: ({ node, phase }) => steps.push(`${node} ${phase}`) },
      );
      assertEquals(report.offline, true);
      assertEquals(steps.length, 8);
      const deadline = Date.now() + 5_000;
      while (pool.size && Date.now() < deadline) await waitFor(20);
      assertEquals(pool.size, 0);
      assertEquals(
        (await pool.run({ instruction: "Again.", texts: [], data: {}, conversation: [] }))
          .offline,
        true,
      );
    } finally {
      pool.close();
    }
  },
);
