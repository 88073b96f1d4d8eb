/**
 * The orchestrator as an A2A agent, driven by the official `@a2a-js/sdk` client in v1.0 and
 * v0.3: a blocking send runs a task to its result artifact, a stream tells each step, GetTask
 * reads it, CancelTask cancels the task and its running agent call; the A2A task is the REST
 * task (same owner, the context is its session), behind the same API key.
 */
import {
  type Client,
  ClientFactory,
  ClientFactoryOptions,
  DefaultAgentCardResolver,
  JsonRpcTransportFactory,
} from "@a2a-js/sdk/client";
import { type StreamResponse, type Task, TaskState } from "@a2a-js/sdk";
import { assert, assertEquals, assertRejects } from "@app/lib/assert";
import { dbTest } from "@app/db/testing";
import { startReachStack } from "./helpers/reach_stack.ts";
import { asTask, sendRequest, userMessage } from "../agents/a2a/testdata/a2a.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;
const ADMIN_KEY = "admin-key-for-a2a-tests";

function withKey(key: string): typeof fetch {
  return (input, init = {}) => {
    const headers = new Headers(init.headers ?? (input instanceof Request ? input.headers : {}));
    headers.set("authorization", `Bearer ${key}`);
    return fetch(input, { ...init, headers });
  };
}

/** A v1.0 client: the SDK reads the card from the base URL. */
async function v1Client(url: string, key: string): Promise<Client> {
  const fetchImpl = withKey(key);
  const factory = new ClientFactory(
    ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
      transports: [new JsonRpcTransportFactory({ fetchImpl })],
      cardResolver: new DefaultAgentCardResolver({ fetchImpl }),
    }),
  );
  return await factory.createFromUrl(url);
}

/** A v0.3 client: the card as a v0.3-only peer would read it (no v1.0 interfaces). */
async function v03Client(url: string, key: string): Promise<Client> {
  const fetchImpl = withKey(key);
  const legacyCard = await (await fetch(`${url}/.well-known/agent-card.json`)).json();
  assertEquals(legacyCard.protocolVersion, "0.3");
  delete legacyCard.supportedInterfaces;
  const resolver = new DefaultAgentCardResolver({ fetchImpl, legacyCompat: { enabled: true } });
  const factory = new ClientFactory(
    ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
      transports: [new JsonRpcTransportFactory({ fetchImpl, legacyCompat: { enabled: true } })],
      cardResolver: resolver,
    }),
  );
  const client = await factory.createFromAgentCard(resolver.normalizeAgentCard(legacyCard));
  assertEquals(client.protocolVersion, "0.3");
  return client;
}

function resultOf(task: Task): { text: string; data: Json } {
  const artifact = task.artifacts.find((a) => a.name === "result");
  assert(artifact, `no result artifact: ${JSON.stringify(task)}`);
  const text = artifact.parts.find((p) => p.content?.$case === "text")?.content?.value;
  const data = artifact.parts.find((p) => p.content?.$case === "data")?.content?.value;
  return { text: String(text), data: data as Json };
}

dbTest(
  "[a2a endpoint] the SDK's v1.0 and v0.3 clients run orchestrator tasks end to end",
  async ({ url }) => {
    const { orch, admin, keyFor, agentCalled, close } = await startReachStack(url, ADMIN_KEY);
    try {
      const aliceKey = await keyFor("alice");

      // The card: public, one skill per capability of the agents, the API key as bearer scheme.
      const card = await (await fetch(`${orch.url}/.well-known/agent-card.json`, {
        headers: { "A2A-Version": "1.0" },
      })).json();
      assertEquals(card.skills.map((s: Json) => s.id), [
        "orchestrate",
        "analysis",
        "research",
        "summarization",
      ]);
      assertEquals(card.supportedInterfaces[0].url, `${orch.url}/a2a`);
      assert(card.securitySchemes.bearer, "the key is declared");
      const anonymous = await fetch(`${orch.url}/a2a`, {
        method: "POST",
        headers: { "content-type": "application/json", "A2A-Version": "1.0" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "GetTask", params: { id: "x" } }),
      });
      assertEquals(anonymous.status, 401);
      await anonymous.body?.cancel();

      for (const [version, connect] of [["1.0", v1Client], ["0.3", v03Client]] as const) {
        const client = await connect(orch.url, aliceKey);
        assertEquals(client.protocolVersion, version);

        // Blocking: answers the finished task, its result as an artifact.
        const task = asTask(
          await client.sendMessage(
            sendRequest(userMessage("Research solar power and summarize it")),
          ),
        );
        assertEquals(task.status?.state, TaskState.TASK_STATE_COMPLETED, version);
        const result = resultOf(task);
        assert(result.text, "the summary as text");
        assertEquals(result.data.summary, result.text);
        assert(result.data.step_outputs["1"], "every step's output as data");
        const restId = task.metadata?.orchestrator_task_id;
        assert(typeof restId === "number", JSON.stringify(task.metadata));
        // The same task in the REST API: alice's, its session the A2A context.
        const rest = (await admin(`/api/tasks/${restId}`)).body;
        assertEquals(rest.status, "completed");
        assertEquals(rest.user_id, "alice");
        assertEquals(rest.session_id, task.contextId);
        assertEquals(rest.result.summary, result.text);

        // A second message in the context continues the session.
        const followUp = asTask(
          await client.sendMessage(
            sendRequest(userMessage("Summarize that", { contextId: task.contextId })),
          ),
        );
        assertEquals(followUp.contextId, task.contextId);
        const session = (await admin(`/api/sessions/${task.contextId}`)).body;
        assertEquals(session.user_id, "alice", JSON.stringify(session));
        const sessionTasks = (await admin(`/api/tasks?session_id=${task.contextId}`)).body;
        assertEquals(sessionTasks.length, 2, JSON.stringify(sessionTasks));

        // Streaming: a status per step, the artifact, then completed.
        const events: StreamResponse[] = [];
        for await (
          const event of client.sendMessageStream(
            sendRequest(userMessage("Research wind power and summarize it")),
          )
        ) events.push(event);
        const lines = events.flatMap((e) =>
          e.payload?.$case === "statusUpdate"
            ? [String(e.payload.value.status?.message?.parts[0]?.content?.value ?? "")]
            : []
        );
        assert(lines.some((l) => l.startsWith("Step 1 started")), JSON.stringify(lines));
        assert(lines.some((l) => l.startsWith("Step 2 completed")), JSON.stringify(lines));
        assert(events.some((e) => e.payload?.$case === "artifactUpdate"), "the result artifact");
        const last = events.at(-1)?.payload;
        assert(last?.$case === "statusUpdate");
        assertEquals(last.value.status?.state, TaskState.TASK_STATE_COMPLETED);

        // GetTask.
        const fetched = await client.getTask({ tenant: "", id: task.id });
        assertEquals(fetched.status?.state, TaskState.TASK_STATE_COMPLETED);
        assertEquals(resultOf(fetched).text, result.text);

        // CancelTask: the REST task is cancelled, its running agent call aborted.
        const before = version === "1.0" ? 0 : 1;
        const running = asTask(
          await client.sendMessage(sendRequest(userMessage("Research this forever"), true)),
        );
        await agentCalled("Research this forever", before);
        const cancelled = await client.cancelTask({
          tenant: "",
          id: running.id,
          metadata: undefined,
        });
        assertEquals(cancelled.status?.state, TaskState.TASK_STATE_CANCELED);
        const runningRest = (await client.getTask({ tenant: "", id: running.id })).metadata
          ?.orchestrator_task_id;
        assertEquals((await admin(`/api/tasks/${runningRest}`)).body.status, "cancelled");

        // Another user's A2A task is not found, as one that does not exist.
        const bob = await connect(orch.url, await keyFor(`bob-${version}`));
        await assertRejects(() => bob.getTask({ tenant: "", id: task.id }));
      }
    } finally {
      await close();
    }
  },
);
