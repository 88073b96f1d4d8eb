import {
  ClientFactory,
  ClientFactoryOptions,
  DefaultAgentCardResolver,
  JsonRpcTransportFactory,
} from "@a2a-js/sdk/client";
import { TaskState } from "@a2a-js/sdk";
import { assert, assertEquals, assertStringIncludes } from "@app/lib/assert";
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

const legacyMessage = (text: string, extra: Record<string, unknown> = {}) => ({
  kind: "message",
  messageId: crypto.randomUUID(),
  role: "user",
  parts: [{ kind: "text", text }],
  ...extra,
});

Deno.test(
  "[a2a] v0.3: the card without a version header is the v0.3 shape, at both paths",
  opts,
  async () => {
    const agent = await startAgent();
    try {
      for (const path of ["/.well-known/agent-card.json", "/.well-known/agent.json"]) {
        const response = await fetch(agent.url + path);
        assertEquals(response.headers.get("vary"), "A2A-Version");
        const card = await response.json();
        assertEquals(card.url, `${agent.url}/`);
        assertEquals(card.preferredTransport, "JSONRPC");
        assertEquals(card.protocolVersion, "0.3");
        assertEquals(card.capabilities.streaming, true);
        assertEquals(card.skills.map((s: { tags: string[] }) => s.tags).flat(), [
          "research",
          "analysis",
        ]);
        const v1 = await (await fetch(agent.url + path, { headers: { "A2A-Version": "1.0" } }))
          .json();
        assertEquals(v1.url, undefined);
        assertEquals(v1.supportedInterfaces[0].protocolVersion, "1.0");
      }
    } finally {
      await agent.close();
    }
  },
);

Deno.test(
  "[a2a] v0.3: message/send answers a completed task with the report artifact",
  opts,
  async () => {
    const agent = await startAgent();
    try {
      for (const path of ["/", "/a2a"]) {
        const response = await rpc(agent.url + path, {
          jsonrpc: "2.0",
          id: "req-1",
          method: "message/send",
          params: {
            message: legacyMessage("Research coffee prices in Brazil.", {
              parts: [
                { kind: "text", text: "Research coffee prices in Brazil." },
                {
                  kind: "data",
                  data: { context: { prior: "Brazil harvested 66 million bags in 2024." } },
                },
              ],
            }),
          },
        });
        const body = await response.json();
        assertEquals(body.id, "req-1");
        const task = body.result;
        assertEquals([task.kind, task.status.state], ["task", "completed"]);
        const artifact = task.artifacts.find((a: { name: string }) => a.name === "report");
        assertEquals(artifact.parts.map((p: { kind: string }) => p.kind), ["text", "data"]);
        assertEquals(artifact.parts[1].data.offline, true);
        assertStringIncludes(JSON.stringify(artifact.parts[1].data.findings), "66 million");

        const got = await (await rpc(agent.url, {
          jsonrpc: "2.0",
          id: 2,
          method: "tasks/get",
          params: { id: task.id },
        })).json();
        assertEquals(got.result.status.state, "completed");
        assertEquals(got.result.artifacts[0].parts[1].data, artifact.parts[1].data);
      }
    } finally {
      await agent.close();
    }
  },
);

Deno.test(
  "[a2a] v0.3: message/stream sends status per node, the artifact, and a final completed",
  opts,
  async () => {
    const agent = await startAgent();
    try {
      const response = await rpc(agent.url, {
        jsonrpc: "2.0",
        id: 7,
        method: "message/stream",
        params: { message: legacyMessage("Analyse rainfall in Kerala.") },
      });
      assertStringIncludes(response.headers.get("content-type") ?? "", "text/event-stream");
      const events = await sseEvents(response);
      const results = events.map((e) => e.result as Record<string, unknown>);
      assert(events.every((e) => e.id === 7));
      assertEquals(results[0].kind, "task");
      const nodes = results.filter((r) => r.kind === "status-update")
        .map((r) =>
          (r.status as { message?: { metadata?: { node?: string } } }).message?.metadata?.node
        )
        .filter(Boolean);
      assertEquals([...new Set(nodes)], ["plan", "gather", "analyse", "synthesise"]);
      const artifact = results.find((r) => r.kind === "artifact-update");
      assertEquals((artifact?.artifact as { name: string }).name, "report");
      const last = results.at(-1)!;
      assertEquals([last.kind, (last.status as { state: string }).state, last.final], [
        "status-update",
        "completed",
        true,
      ]);
    } finally {
      await agent.close();
    }
  },
);

Deno.test(
  "[a2a] v0.3: tasks/cancel stops a running task; unknown tasks answer -32001",
  opts,
  async () => {
    const agent = await startAgent({ nodeDelayMs: 250 });
    try {
      const sent = await (await rpc(agent.url, {
        jsonrpc: "2.0",
        id: 1,
        method: "message/send",
        params: { message: legacyMessage("Slow legacy task."), configuration: { blocking: false } },
      })).json();
      const id = sent.result.id;
      assert(["submitted", "working"].includes(sent.result.status.state), JSON.stringify(sent));
      await waitFor(100);
      const cancelled = await (await rpc(agent.url, {
        jsonrpc: "2.0",
        id: 2,
        method: "tasks/cancel",
        params: { id },
      })).json();
      assertEquals(cancelled.result.status.state, "canceled");
      await waitFor(1_100);
      const got = await (await rpc(agent.url, {
        jsonrpc: "2.0",
        id: 3,
        method: "tasks/get",
        params: { id },
      })).json();
      assertEquals(got.result.status.state, "canceled");
      for (const method of ["tasks/get", "tasks/cancel"]) {
        const missing = await (await rpc(agent.url, {
          jsonrpc: "2.0",
          id: 4,
          method,
          params: { id: "nope" },
        })).json();
        assertEquals(missing.error.code, -32001);
      }
    } finally {
      await agent.close();
    }
  },
);

Deno.test(
  "[a2a] v0.3: the SDK's legacy client transport talks to the agent as a v0.3 peer",
  opts,
  async () => {
    const agent = await startAgent();
    try {
      // A v0.3-only agent publishes a card without v1.0 interfaces: strip ours to look like one.
      const legacyCard = await (await fetch(`${agent.url}/.well-known/agent-card.json`)).json();
      delete legacyCard.supportedInterfaces;
      const resolver = new DefaultAgentCardResolver({ legacyCompat: { enabled: true } });
      const card = resolver.normalizeAgentCard(legacyCard);
      assertEquals(card.supportedInterfaces.map((i) => i.protocolVersion), ["0.3"]);
      const factory = new ClientFactory(
        ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
          transports: [new JsonRpcTransportFactory({ legacyCompat: { enabled: true } })],
          cardResolver: resolver,
        }),
      );
      const client = await factory.createFromAgentCard(card);
      assertEquals(client.protocolVersion, "0.3");
      const task = asTask(
        await client.sendMessage(sendRequest(userMessage("Research tea in Assam."))),
      );
      assertEquals(task.status?.state, TaskState.TASK_STATE_COMPLETED);
      assertEquals(reportOf(task).offline, true);
      const states: TaskState[] = [];
      for await (
        const e of client.sendMessageStream(sendRequest(userMessage("Analyse tea exports.")))
      ) {
        if (e.payload?.$case === "statusUpdate") states.push(e.payload.value.status!.state);
      }
      assertEquals(states.at(-1), TaskState.TASK_STATE_COMPLETED);
      assertEquals(
        (await client.getTask({ tenant: "", id: task.id })).status?.state,
        TaskState.TASK_STATE_COMPLETED,
      );
    } finally {
      await agent.close();
    }
  },
);

Deno.test(
  "[a2a] protocol errors: unknown method, malformed JSON, invalid request, wrong version",
  opts,
  async () => {
    const agent = await startAgent();
    try {
      const code = async (body: unknown, options: Parameters<typeof rpc>[2] = {}) => {
        const response = await rpc(agent.url, body, options);
        assertEquals(response.status, 200);
        return (await response.json()).error?.code;
      };
      assertEquals(
        await code({ jsonrpc: "2.0", id: 1, method: "tasks/explode", params: {} }),
        -32601,
      );
      assertEquals(
        await code({ jsonrpc: "2.0", id: 1, method: "Explode", params: {} }, { version: "1.0" }),
        -32601,
      );
      // A v1.0 method without the header is a v0.3 request, and v0.3 has no such method.
      assertEquals(
        await code({ jsonrpc: "2.0", id: 1, method: "GetTask", params: { id: "x" } }),
        -32601,
      );
      assertEquals(await code(null, { raw: "{not json" }), -32700);
      assertEquals(await code(null, { raw: "{not json", version: "1.0" }), -32700);
      assertEquals(await code({ id: 1, method: "tasks/get" }), -32600);
      assertEquals(
        await code({ jsonrpc: "2.0", id: 1, method: "GetTask", params: { id: "x" } }, {
          version: "1.0",
        }),
        -32001,
      );
      assertEquals(
        await code({ jsonrpc: "2.0", id: 1, method: "GetTask", params: {} }, { version: "7.0" }),
        -32009,
      );
      assertEquals(
        await code({ jsonrpc: "2.0", id: 1, method: "tasks/get" }, { contentType: "text/plain" }),
        -32005,
      );
    } finally {
      await agent.close();
    }
  },
);
