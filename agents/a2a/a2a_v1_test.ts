import { ClientFactory } from "@a2a-js/sdk/client";
import { type StreamResponse, TaskState } from "@a2a-js/sdk";
import { assert, assertEquals, assertRejects, assertStringIncludes } from "@app/lib/assert";
import { startAgent } from "./testdata/start_agent.ts";
import {
  asTask,
  reportOf,
  rpc,
  sendRequest,
  sseEvents,
  userMessage,
  waitFor,
} from "./testdata/a2a.ts";

const opts = { sanitizeResources: false, sanitizeOps: false };

Deno.test("[a2a] v1.0: the SDK client reads the card from the base URL alone", opts, async () => {
  const agent = await startAgent();
  try {
    const client = await new ClientFactory().createFromUrl(agent.url);
    assertEquals(client.protocolVersion, "1.0");
    const card = await client.getAgentCard();
    assertEquals(card.name, "LangGraph Research Agent");
    assertEquals(card.capabilities?.streaming, true);
    assertEquals(card.skills.map((s) => s.tags).flat(), ["research", "analysis"]);
    assertEquals(
      card.supportedInterfaces.map((i) => [i.protocolBinding, i.protocolVersion, i.url]),
      [["JSONRPC", "1.0", `${agent.url}/`], ["JSONRPC", "0.3", `${agent.url}/`]],
    );
  } finally {
    await agent.close();
  }
});

Deno.test(
  "[a2a] v1.0: SendMessage completes with the report artifact; GetTask returns it",
  opts,
  async () => {
    const agent = await startAgent();
    try {
      const client = await new ClientFactory().createFromUrl(agent.url);
      const task = asTask(
        await client.sendMessage(sendRequest(userMessage(
          "Research how Norway adopted electric cars.",
          {
            data: {
              task: "Transport report",
              context: {
                "1": {
                  summary: "Norway sold 90% electric cars in 2024. Tax breaks made them cheap.",
                },
              },
            },
          },
        ))),
      );
      assertEquals(task.status?.state, TaskState.TASK_STATE_COMPLETED);
      const artifact = task.artifacts.find((a) => a.name === "report")!;
      assertEquals(artifact.parts.map((p) => p.content?.$case), ["text", "data"]);
      const report = reportOf(task);
      assertEquals(Object.keys(report).sort(), [
        "findings",
        "insights",
        "keywords",
        "offline",
        "openQuestions",
        "summary",
      ]);
      assertEquals(report.offline, true);
      assertEquals(artifact.parts[0].content?.value, report.summary);
      assert((report.findings as string[]).includes("Norway sold 90% electric cars in 2024."));
      assertStringIncludes(JSON.stringify(report.insights), "90%");

      const fetched = await client.getTask({ tenant: "", id: task.id });
      assertEquals(fetched.status?.state, TaskState.TASK_STATE_COMPLETED);
      assertEquals(reportOf(fetched), report);
    } finally {
      await agent.close();
    }
  },
);

Deno.test(
  "[a2a] v1.0: SendStreamingMessage reports each node, the artifact, then completed",
  opts,
  async () => {
    const agent = await startAgent();
    try {
      const client = await new ClientFactory().createFromUrl(agent.url);
      const events: StreamResponse[] = [];
      for await (
        const event of client.sendMessageStream(
          sendRequest(userMessage("Analyse wind power in Denmark.")),
        )
      ) {
        events.push(event);
      }
      assertEquals(events[0].payload?.$case, "task");
      const nodeSteps = events.flatMap((e) =>
        e.payload?.$case === "statusUpdate" && e.payload.value.status?.message?.metadata?.node
          ? [
            `${e.payload.value.status.message.metadata.node} ${e.payload.value.status.message.metadata.phase}`,
          ]
          : []
      );
      assertEquals(nodeSteps, [
        "plan started",
        "plan finished",
        "gather started",
        "gather finished",
        "analyse started",
        "analyse finished",
        "synthesise started",
        "synthesise finished",
      ]);
      for (const e of events) {
        if (
          e.payload?.$case === "statusUpdate" && e.payload.value.status?.message?.metadata?.node
        ) {
          assertEquals(e.payload.value.status.state, TaskState.TASK_STATE_WORKING);
          const text = e.payload.value.status.message.parts[0].content?.value;
          assertStringIncludes(String(text), e.payload.value.status.message.metadata.node);
        }
      }
      const artifactAt = events.findIndex((e) => e.payload?.$case === "artifactUpdate");
      assert(artifactAt > 0, "no artifact update");
      const artifact = events[artifactAt].payload!.value as { artifact?: { name: string } };
      assertEquals(artifact.artifact?.name, "report");
      const last = events.at(-1)!.payload!;
      assertEquals(last.$case, "statusUpdate");
      assertEquals(
        (last.value as { status?: { state: TaskState } }).status?.state,
        TaskState.TASK_STATE_COMPLETED,
      );
      assertEquals(artifactAt, events.length - 2);
    } finally {
      await agent.close();
    }
  },
);

Deno.test(
  "[a2a] v1.0: CancelTask stops a running graph and the task stays cancelled",
  opts,
  async () => {
    const agent = await startAgent({ nodeDelayMs: 250 });
    try {
      const client = await new ClientFactory().createFromUrl(agent.url);
      const started = asTask(
        await client.sendMessage(sendRequest(userMessage("A slow research task."), true)),
      );
      assert(
        [TaskState.TASK_STATE_SUBMITTED, TaskState.TASK_STATE_WORKING].includes(
          started.status!.state,
        ),
        `expected a running task, got ${started.status?.state}`,
      );
      await waitFor(300);
      const cancelled = await client.cancelTask({
        tenant: "",
        id: started.id,
        metadata: undefined,
      });
      assertEquals(cancelled.status?.state, TaskState.TASK_STATE_CANCELED);
      // Long enough for the whole graph (4 x 250ms) had it kept running.
      await waitFor(1_200);
      const later = await client.getTask({ tenant: "", id: started.id });
      assertEquals(later.status?.state, TaskState.TASK_STATE_CANCELED);
      assertEquals(later.artifacts, []);
      const steps = later.history.map((m) => m.metadata?.node).filter(Boolean);
      assert(!steps.includes("synthesise"), `the graph kept running: ${steps}`);
      // Cancelling again returns the task; cancelling a finished one is refused.
      const again = await client.cancelTask({ tenant: "", id: started.id, metadata: undefined });
      assertEquals(again.status?.state, TaskState.TASK_STATE_CANCELED);
    } finally {
      await agent.close();
    }
  },
);

Deno.test(
  "[a2a] v1.0: cancelling during a stream ends the stream in the cancelled state",
  opts,
  async () => {
    const agent = await startAgent({ nodeDelayMs: 200 });
    try {
      const client = await new ClientFactory().createFromUrl(agent.url);
      const states: TaskState[] = [];
      let cancelSent = false;
      for await (
        const event of client.sendMessageStream(sendRequest(userMessage("Slow stream.")))
      ) {
        if (event.payload?.$case === "statusUpdate") states.push(event.payload.value.status!.state);
        if (event.payload?.$case === "task" && !cancelSent) {
          cancelSent = true;
          const id = event.payload.value.id;
          waitFor(250).then(() => client.cancelTask({ tenant: "", id, metadata: undefined }));
        }
      }
      assertEquals(states.at(-1), TaskState.TASK_STATE_CANCELED);
      assert(!states.includes(TaskState.TASK_STATE_COMPLETED));
    } finally {
      await agent.close();
    }
  },
);

Deno.test(
  "[a2a] v1.0: unknown tasks answer -32001; a finished task cannot be cancelled (-32002)",
  opts,
  async () => {
    const agent = await startAgent();
    try {
      const client = await new ClientFactory().createFromUrl(agent.url);
      const missing = await assertRejects(() => client.getTask({ tenant: "", id: "no-such-task" }));
      assertEquals((missing as { envelopeCode?: number }).envelopeCode, -32001);
      const cancelMissing = await assertRejects(() =>
        client.cancelTask({ tenant: "", id: "no-such-task", metadata: undefined })
      );
      assertEquals((cancelMissing as { envelopeCode?: number }).envelopeCode, -32001);
      const done = asTask(await client.sendMessage(sendRequest(userMessage("Quick one."))));
      const finished = await assertRejects(() =>
        client.cancelTask({ tenant: "", id: done.id, metadata: undefined })
      );
      assertEquals((finished as { envelopeCode?: number }).envelopeCode, -32002);
    } finally {
      await agent.close();
    }
  },
);

Deno.test(
  "[a2a] v1.0: a contextId carries the conversation into the next message",
  opts,
  async () => {
    const agent = await startAgent();
    try {
      const client = await new ClientFactory().createFromUrl(agent.url);
      const contextId = crypto.randomUUID();
      const first = asTask(
        await client.sendMessage(sendRequest(userMessage(
          "Research the Zanzibar spice trade. Zanzibar exported 7000 tons of cloves.",
          { contextId },
        ))),
      );
      assertEquals(first.contextId, contextId);
      const followUp = asTask(
        await client.sendMessage(
          sendRequest(userMessage("What happened to exports later?", { contextId })),
        ),
      );
      const stranger = asTask(
        await client.sendMessage(sendRequest(userMessage("What happened to exports later?"))),
      );
      assertStringIncludes(JSON.stringify(reportOf(followUp)), "Zanzibar");
      assert(!JSON.stringify(reportOf(stranger)).includes("Zanzibar"));
    } finally {
      await agent.close();
    }
  },
);

Deno.test(
  "[a2a] SubscribeToTask (v1.0) and tasks/resubscribe (v0.3) follow a running task to the end",
  opts,
  async () => {
    const agent = await startAgent({ nodeDelayMs: 100 });
    try {
      const client = await new ClientFactory().createFromUrl(agent.url);
      const task = asTask(await client.sendMessage(sendRequest(userMessage("Follow me."), true)));
      const states: TaskState[] = [];
      let sawReport = false;
      for await (const event of client.resubscribeTask({ tenant: "", id: task.id })) {
        if (event.payload?.$case === "statusUpdate") states.push(event.payload.value.status!.state);
        if (event.payload?.$case === "artifactUpdate") {
          sawReport = event.payload.value.artifact?.name === "report";
        }
      }
      assert(sawReport, "the subscription missed the report");
      assertEquals(states.at(-1), TaskState.TASK_STATE_COMPLETED);

      const legacy = asTask(
        await client.sendMessage(sendRequest(userMessage("Follow me too."), true)),
      );
      const response = await rpc(agent.url, {
        jsonrpc: "2.0",
        id: 9,
        method: "tasks/resubscribe",
        params: { id: legacy.id },
      });
      const events = (await sseEvents(response)).map((e) => e.result as Record<string, unknown>);
      const last = events.at(-1)!;
      assertEquals([(last.status as { state: string }).state, last.final], ["completed", true]);
    } finally {
      await agent.close();
    }
  },
);
