/**
 * The agent asks when a request gives it nothing to work on: the task is `input-required` with
 * the graph's question (v1.0 and v0.3, through the SDK's clients), its graph checkpointed in the
 * project's database; the next message to the task is the answer, and the graph goes on from
 * its checkpoint to the report. On SQLite and Postgres.
 */
import { type Client, ClientFactory } from "@a2a-js/sdk/client";
import { LegacyJsonRpcTransport } from "@a2a-js/sdk/compat/v0_3/client";
import { type Message, type StreamResponse, type Task, TaskState } from "@a2a-js/sdk";
import type { Kysely } from "kysely";
import type { Database } from "@app/db";
import { dbTest } from "@app/db/testing";
import { assert, assertEquals, assertStringIncludes } from "@app/lib/assert";
import { createChatModel, parseConfig, silentLogger } from "@app/lib";
import {
  type FakeOpenAI,
  type FakeReply,
  messageText,
  startFakeOpenAI,
} from "@app/lib/testing/fake_openai";
import { startAgent } from "./testdata/start_agent.ts";
import { asTask, reportOf, rpc, sendRequest, userMessage } from "./testdata/a2a.ts";

/** A message to an existing task (the answer to its question). */
function reply(task: Task, text: string, metadata?: Record<string, unknown>): Message {
  return { ...userMessage(text), taskId: task.id, contextId: task.contextId, metadata };
}

function statusText(task: Task): string {
  const part = task.status?.message?.parts[0]?.content;
  return part?.$case === "text" ? part.value : "";
}

async function checkpointsOf(db: Kysely<Database>, taskId: string): Promise<number> {
  const rows = await db.selectFrom("langgraph_checkpoints").select("checkpoint_id")
    .where("thread_id", "=", taskId).execute();
  return rows.length;
}

interface AgentCase {
  db: Kysely<Database>;
  url: string;
  /** The SDK's v1.0 client, on the agent's card. */
  client: Client;
  /** The fake model's server, when the test scripted its replies. */
  fake?: FakeOpenAI;
}

/** A test on each database against a fresh agent; with `replies`, on a fake model. */
function agentTest(name: string, fn: (t: AgentCase) => Promise<void>, replies?: FakeReply[]) {
  dbTest(name, async ({ db }) => {
    const fake = replies && startFakeOpenAI({ reply: [...replies] });
    const llm = fake
      ? createChatModel(
        parseConfig({ OPENAI_BASE_URL: fake.url, LLM_MODEL: "fake-llama", LLM_MAX_RETRIES: "0" }),
        silentLogger,
      )
      : null;
    const agent = await startAgent({ db, llm });
    try {
      const client = await new ClientFactory().createFromUrl(agent.url);
      await fn({ db, url: agent.url, client, fake });
    } finally {
      await agent.close();
      await fake?.close();
    }
  });
}

agentTest(
  "[a2a] v1.0: 'Research it' asks (input-required); the answer on the same task completes it",
  async ({ db, client }) => {
    const asked = asTask(await client.sendMessage(sendRequest(userMessage("Research it"))));
    assertEquals(asked.status?.state, TaskState.TASK_STATE_INPUT_REQUIRED);
    assertStringIncludes(statusText(asked), "What should I work on?");
    assertStringIncludes(statusText(asked), '"Research it" names no subject');
    assertEquals(asked.artifacts, []);
    assert(await checkpointsOf(db, asked.id) > 0, "the interrupted graph is checkpointed");
    // Still waiting when fetched.
    const waiting = await client.getTask({ tenant: "", id: asked.id, historyLength: undefined });
    assertEquals(waiting.status?.state, TaskState.TASK_STATE_INPUT_REQUIRED);

    const done = asTask(
      await client.sendMessage(sendRequest(reply(asked, "electric cars in Norway"))),
    );
    assertEquals(done.id, asked.id);
    assertEquals(done.contextId, asked.contextId);
    assertEquals(done.status?.state, TaskState.TASK_STATE_COMPLETED);
    const report = reportOf(done);
    assertStringIncludes(report.summary as string, "Research it: electric cars in Norway");
    // The conversation of the task: request, question, answer, report.
    const texts = done.history.map((m) =>
      m.parts[0]?.content?.$case === "text" ? m.parts[0].content.value : ""
    );
    assertEquals(texts[0], "Research it");
    assert(texts.some((t) => t.startsWith("What should I work on?")), JSON.stringify(texts));
    assert(texts.includes("electric cars in Norway"), JSON.stringify(texts));
    assertEquals(await checkpointsOf(db, asked.id), 0, "a finished task's checkpoints go");
  },
);

agentTest(
  "[a2a] v1.0: streamed, the question ends the first stream; the answer's stream runs the graph",
  async ({ client }) => {
    const first: StreamResponse[] = [];
    for await (const e of client.sendMessageStream(sendRequest(userMessage("Summarize this")))) {
      first.push(e);
    }
    const last = first.at(-1)?.payload;
    assert(last?.$case === "statusUpdate", JSON.stringify(last));
    assertEquals(last.value.status?.state, TaskState.TASK_STATE_INPUT_REQUIRED);
    const taskId = last.value.taskId;
    const task = await client.getTask({ tenant: "", id: taskId, historyLength: undefined });

    const second: StreamResponse[] = [];
    for await (
      const e of client.sendMessageStream(sendRequest(reply(task, "the history of Oslo")))
    ) second.push(e);
    const states = second.flatMap((e) =>
      e.payload?.$case === "statusUpdate" ? [e.payload.value.status?.state] : []
    );
    assertEquals(states.at(-1), TaskState.TASK_STATE_COMPLETED);
    const nodes = second.flatMap((e) =>
      e.payload?.$case === "statusUpdate" && e.payload.value.status?.message?.metadata?.node
        ? [e.payload.value.status.message.metadata.node]
        : []
    );
    assertEquals(new Set(nodes), new Set(["plan", "gather", "analyse", "synthesise"]));
    const done = await client.getTask({ tenant: "", id: taskId, historyLength: undefined });
    assertStringIncludes(reportOf(done).summary as string, "the history of Oslo");
  },
);

agentTest(
  "[a2a] v0.3: message/send answers input-required; the answer completes it",
  async ({ url }) => {
    // The wire: v0.3's lowercase state and the question as the status message.
    const response = await rpc(`${url}/`, {
      jsonrpc: "2.0",
      id: 1,
      method: "message/send",
      params: {
        message: {
          kind: "message",
          messageId: crypto.randomUUID(),
          role: "user",
          parts: [{ kind: "text", text: "Research it." }],
        },
      },
    });
    const body = await response.json();
    assertEquals(body.result?.status?.state, "input-required", JSON.stringify(body));
    assertStringIncludes(body.result.status.message.parts[0].text, "What should I work on?");

    // The SDK's legacy client answers on the same task and context.
    const legacy = new LegacyJsonRpcTransport({ endpoint: `${url}/` });
    const task = await legacy.getTask({
      tenant: "",
      id: body.result.id,
      historyLength: undefined,
    });
    assertEquals(task.status?.state, TaskState.TASK_STATE_INPUT_REQUIRED);
    const done = asTask(
      await legacy.sendMessage(sendRequest(reply(task, "tidal power in Wales"))),
    );
    assertEquals([done.id, done.contextId], [body.result.id, body.result.contextId]);
    assertEquals(done.status?.state, TaskState.TASK_STATE_COMPLETED);
    assertStringIncludes(reportOf(done).summary as string, "tidal power in Wales");

    // And the whole exchange streamed through the legacy client (message/stream).
    const lastState = async (message: Message) => {
      let last: StreamResponse | undefined;
      for await (const event of legacy.sendMessageStream(sendRequest(message))) last = event;
      assert(last?.payload?.$case === "statusUpdate", JSON.stringify(last));
      return last.payload.value;
    };
    const asked = await lastState(userMessage("Analyze that"));
    assertEquals(asked.status?.state, TaskState.TASK_STATE_INPUT_REQUIRED);
    const waiting = await legacy.getTask({
      tenant: "",
      id: asked.taskId,
      historyLength: undefined,
    });
    const answered = await lastState(reply(waiting, "wind in Denmark"));
    assertEquals([answered.taskId, answered.status?.state], [
      asked.taskId,
      TaskState.TASK_STATE_COMPLETED,
    ]);
  },
);

agentTest(
  "[a2a] idempotency: the answer (another key) gets the report, never the stored question",
  async ({ client }) => {
    const ask = { ...userMessage("Research it"), metadata: { idempotencyKey: "ask-1" } };
    const asked = asTask(await client.sendMessage(sendRequest(ask)));
    assertEquals(asked.status?.state, TaskState.TASK_STATE_INPUT_REQUIRED);

    const answer = reply(asked, "coral reefs", { idempotencyKey: "answer-1" });
    const done = asTask(await client.sendMessage(sendRequest(answer)));
    assertEquals(done.status?.state, TaskState.TASK_STATE_COMPLETED);
    const report = reportOf(done);
    assertStringIncludes(report.summary as string, "coral reefs");

    // A retry of the answer (same key, a new task) gets the stored report, not a question.
    const retry = { ...userMessage("coral reefs"), metadata: { idempotencyKey: "answer-1" } };
    const replayed = asTask(await client.sendMessage(sendRequest(retry)));
    assertEquals(replayed.status?.state, TaskState.TASK_STATE_COMPLETED);
    assertEquals(reportOf(replayed), report);
    // A retry of the question's message asks again: a question is never stored as an answer.
    const again = asTask(
      await client.sendMessage(sendRequest({ ...ask, messageId: crypto.randomUUID() })),
    );
    assertEquals(again.status?.state, TaskState.TASK_STATE_INPUT_REQUIRED);
  },
);

agentTest(
  "[a2a] asking: a subject, material or an earlier turn means no question; a blank answer is asked again",
  async ({ db, client }) => {
    const send = async (message: Message) => asTask(await client.sendMessage(sendRequest(message)));
    const named = await send(userMessage("Research solar power"));
    assertEquals(named.status?.state, TaskState.TASK_STATE_COMPLETED);
    const withData = await send(
      userMessage("Summarize it", { data: { input: "Oslo has 700,000 people." } }),
    );
    assertEquals(withData.status?.state, TaskState.TASK_STATE_COMPLETED);
    // "it" in a conversation with an earlier turn points at that turn.
    const followUp = await send(userMessage("Research it", { contextId: named.contextId }));
    assertEquals(followUp.status?.state, TaskState.TASK_STATE_COMPLETED);
    assertEquals(await checkpointsOf(db, followUp.id), 0);

    const asked = await send(userMessage("Research it"));
    assertEquals(asked.status?.state, TaskState.TASK_STATE_INPUT_REQUIRED);
    const blank = await send(reply(asked, "   "));
    assertEquals(blank.status?.state, TaskState.TASK_STATE_INPUT_REQUIRED);
    assertStringIncludes(statusText(blank), "The answer was empty");
    const done = await send(reply(asked, "the Baltic Sea"));
    assertEquals(done.status?.state, TaskState.TASK_STATE_COMPLETED);
    assertStringIncludes(reportOf(done).summary as string, "the Baltic Sea");
  },
);

agentTest(
  "[a2a] asking: a task cancelled while it waits is cancelled, its checkpoints gone",
  async ({ db, client }) => {
    const asked = asTask(await client.sendMessage(sendRequest(userMessage("Explain it"))));
    assertEquals(asked.status?.state, TaskState.TASK_STATE_INPUT_REQUIRED);
    const canceled = await client.cancelTask({ tenant: "", id: asked.id, metadata: undefined });
    assertEquals(canceled.status?.state, TaskState.TASK_STATE_CANCELED);
    assertEquals(await checkpointsOf(db, asked.id), 0);
  },
);

agentTest(
  "[a2a] with an LLM: the question costs no model request; the answer runs each node on it",
  async ({ client, fake }) => {
    const asked = asTask(await client.sendMessage(sendRequest(userMessage("Research it"))));
    assertEquals(asked.status?.state, TaskState.TASK_STATE_INPUT_REQUIRED);
    assertEquals(fake!.chatRequests.length, 0);

    const done = asTask(await client.sendMessage(sendRequest(reply(asked, "the widget market"))));
    assertEquals(done.status?.state, TaskState.TASK_STATE_COMPLETED);
    assertEquals(fake!.chatRequests.length, 4);
    const first = fake!.chatRequests[0].messages.map((m) => messageText(m.content)).join("\n");
    assertStringIncludes(first, "Task: Research it: the widget market");
    assertEquals(reportOf(done).summary, "The widget market is growing fast.");
    assertEquals(reportOf(done).model, "fake-llama");
  },
  [
    "1. How big is the market?",
    "- The market grew 12% in 2024.",
    "INSIGHT: Growth is fast.\nFINDING: The market grew 12% in 2024.",
    "The widget market is growing fast.",
  ],
);

agentTest(
  "[a2a] asking: POST /process, which cannot be answered, never asks",
  async ({ db, url }) => {
    const response = await fetch(`${url}/process`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ description: "Research it" }),
    });
    assertEquals(response.status, 200);
    const body = await response.json();
    assertEquals(body.no_material, true, JSON.stringify(body));
    const saved = await db.selectFrom("langgraph_checkpoints").select("thread_id").execute();
    assertEquals(saved, []);
  },
);

agentTest(
  "[a2a] with an LLM: an answered run that fails fails the task and clears its checkpoints",
  async ({ db, client }) => {
    const asked = asTask(await client.sendMessage(sendRequest(userMessage("Research it"))));
    assertEquals(asked.status?.state, TaskState.TASK_STATE_INPUT_REQUIRED);
    assert(await checkpointsOf(db, asked.id) > 0);
    const failed = asTask(
      await client.sendMessage(sendRequest(reply(asked, "the widget market"))),
    );
    assertEquals(failed.status?.state, TaskState.TASK_STATE_FAILED);
    assertStringIncludes(statusText(failed), "Research failed");
    assertEquals(await checkpointsOf(db, asked.id), 0);
  },
  [{ status: 400, error: "bad request" }],
);
