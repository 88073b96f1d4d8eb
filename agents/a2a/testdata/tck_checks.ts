/**
 * A2A conformance checks, TCK-style: the official TCK (a2aproject/a2a-tck, Python) cannot run
 * here, so its mandatory checks for a JSON-RPC agent (ids below are the TCK's) are written
 * against the SDK's client for v1.0 and its legacy transport for v0.3. Both A2A servers here
 * (the built-in agent and the orchestrator) must pass every one the SDK's reference passes.
 */
import { AgentCard, type Task, TaskState } from "@a2a-js/sdk";
import { type Client, ClientFactory } from "@a2a-js/sdk/client";
import { LegacyJsonRpcTransport } from "@a2a-js/sdk/compat/v0_3/client";
import { assert, assertEquals } from "@app/lib/assert";
import { asTask, sendRequest, userMessage } from "./a2a.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

export interface Target {
  name: string;
  /** Where the card is. */
  url: string;
  /** Where JSON-RPC is (the card's interface URL). */
  rpcUrl: string;
  v1: Client;
  legacy: LegacyJsonRpcTransport;
}

const TERMINAL = [
  TaskState.TASK_STATE_COMPLETED,
  TaskState.TASK_STATE_FAILED,
  TaskState.TASK_STATE_CANCELED,
  TaskState.TASK_STATE_REJECTED,
];

async function rpc(url: string, body: unknown, version?: string) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(version && { "A2A-Version": version }) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  assertEquals(response.status, 200, "JSON-RPC errors travel with HTTP 200");
  return await response.json();
}

/** The JSON-RPC error code a client call failed with. */
async function errorCode(call: Promise<unknown>): Promise<number | undefined> {
  try {
    await call;
  } catch (error) {
    return (error as { envelopeCode?: number; code?: number }).envelopeCode ??
      (error as { code?: number }).code;
  }
  return undefined;
}

export async function card(url: string, version?: string) {
  const response = await fetch(`${url}/.well-known/agent-card.json`, {
    headers: version ? { "A2A-Version": version } : {},
  });
  assertEquals(response.status, 200);
  return { body: await response.json(), headers: response.headers };
}

/** Drops what proto3 JSON treats as unset (empty strings, lists, maps; false), for comparing a
 * card with its protobuf round trip. */
function withoutDefaults(value: Json): Json {
  if (Array.isArray(value)) return value.map(withoutDefaults);
  if (value && typeof value === "object") {
    const kept: Record<string, Json> = {};
    for (const [key, item] of Object.entries(value)) {
      const cleaned = withoutDefaults(item);
      const empty = cleaned === "" || cleaned === false || cleaned === null ||
        (Array.isArray(cleaned) && cleaned.length === 0) ||
        (cleaned && typeof cleaned === "object" && Object.keys(cleaned).length === 0);
      if (!empty) kept[key] = cleaned;
    }
    return kept;
  }
  return value;
}

async function completedTask(t: Target, contextId?: string): Promise<Task> {
  const task = asTask(
    await t.v1.sendMessage(sendRequest(userMessage("Research Deno 2 and npm support.", {
      contextId,
    }))),
  );
  assertEquals(task.status?.state, TaskState.TASK_STATE_COMPLETED, JSON.stringify(task.status));
  return task;
}

async function untilTerminal(t: Target, id: string): Promise<Task> {
  for (let i = 0; i < 400; i++) {
    const task = await t.v1.getTask({ tenant: "", id, historyLength: undefined });
    if (TERMINAL.includes(task.status!.state)) return task;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`task ${id} did not finish`);
}

export const CHECKS: Record<string, (t: Target) => Promise<void>> = {
  "CARD-DISC-001 / CARD-STRUCT-001: the v1.0 card has every required field": async (t) => {
    const { body } = await card(t.url, "1.0");
    for (const field of ["name", "description", "version"]) {
      assert(typeof body[field] === "string" && body[field], `card.${field}`);
    }
    assert(body.capabilities && typeof body.capabilities === "object", "card.capabilities");
    for (const field of ["defaultInputModes", "defaultOutputModes", "skills"]) {
      assert(Array.isArray(body[field]) && body[field].length, `card.${field}`);
    }
    for (const skill of body.skills) {
      for (const field of ["id", "name", "description"]) assert(skill[field], `skill.${field}`);
      assert(skill.tags.length, "skill.tags");
    }
  },
  "CARD-PROTO-001/002: each interface declares its binding, version and a URL that answers": async (
    t,
  ) => {
    const { body } = await card(t.url, "1.0");
    const interfaces = body.supportedInterfaces as Json[];
    assertEquals(
      interfaces.map((i) => [i.protocolBinding, i.protocolVersion]),
      [["JSONRPC", "1.0"], ["JSONRPC", "0.3"]],
    );
    for (const i of interfaces) {
      const answer = await rpc(i.url, {
        jsonrpc: "2.0",
        id: 1,
        method: i.protocolVersion === "1.0" ? "GetTask" : "tasks/get",
        params: { id: "none" },
      }, i.protocolVersion);
      assertEquals(answer.error?.code, -32001, JSON.stringify(answer));
    }
  },
  "CARD (schema): the v1.0 card is an A2A 1.0 AgentCard message, no v0.3-only fields": async (
    t,
  ) => {
    const { body } = await card(t.url, "1.0");
    // The SDK's AgentCard type is generated from the A2A 1.0 proto: a round trip through it
    // keeps every known field and drops the rest, so any difference is a field 1.0 lacks.
    assertEquals(
      withoutDefaults(AgentCard.toJSON(AgentCard.fromJSON(body))),
      withoutDefaults(body),
    );
    for (const field of ["url", "preferredTransport", "protocolVersion", "additionalInterfaces"]) {
      assert(!(field in body), `v0.3-only field ${field} on the v1.0 card`);
    }
  },
  "CARD (v0.3): without A2A-Version the card has the v0.3 shape": async (t) => {
    const { body } = await card(t.url);
    assertEquals([body.url, body.preferredTransport, body.protocolVersion], [
      t.rpcUrl,
      "JSONRPC",
      "0.3",
    ]);
  },
  "CARD-CACHE-001/002: Cache-Control with max-age, an ETag, 304 when it matches": async (t) => {
    const { headers } = await card(t.url, "1.0");
    assert(/max-age=\d+/.test(headers.get("cache-control") ?? ""), "Cache-Control max-age");
    const etag = headers.get("etag");
    assert(etag, "ETag");
    const again = await fetch(`${t.url}/.well-known/agent-card.json`, {
      headers: { "A2A-Version": "1.0", "If-None-Match": etag },
    });
    await again.body?.cancel();
    assertEquals(again.status, 304);
  },
  "CORE-SEND-001 / EXECUTION-MODE-001 / MULTI-001a / MULTI-003: blocking SendMessage returns the finished task":
    async (t) => {
      const [a, b] = [await completedTask(t), await completedTask(t)];
      assert(a.id && a.contextId, "task id and generated contextId");
      assert(a.id !== b.id, "task ids are unique");
      assert(a.artifacts.length > 0, "the task carries its artifacts");
    },
  "CORE-EXECUTION-MODE-002: returnImmediately returns the task before it ends": async (t) => {
    const task = asTask(
      await t.v1.sendMessage(sendRequest(userMessage("Research quickly."), true)),
    );
    assert(task.id, "a task");
    const finished = await untilTerminal(t, task.id);
    assertEquals(finished.status?.state, TaskState.TASK_STATE_COMPLETED);
  },
  "CORE-MULTI-002: a client's contextId is kept": async (t) => {
    const contextId = crypto.randomUUID();
    assertEquals((await completedTask(t, contextId)).contextId, contextId);
  },
  "CORE-GET-001 / HIST-002: GetTask returns the task; historyLength bounds its history": async (
    t,
  ) => {
    const task = await completedTask(t);
    const fetched = await t.v1.getTask({ tenant: "", id: task.id, historyLength: undefined });
    assertEquals([fetched.id, fetched.status?.state], [task.id, TaskState.TASK_STATE_COMPLETED]);
    assertEquals(fetched.artifacts.length, task.artifacts.length);
    const short = await t.v1.getTask({ tenant: "", id: task.id, historyLength: 1 });
    assert(short.history.length <= 1, `history of ${short.history.length}`);
  },
  "CORE-GET-002: GetTask on an unknown task answers TaskNotFoundError (-32001)": async (t) => {
    const id = crypto.randomUUID();
    assertEquals(
      await errorCode(t.v1.getTask({ tenant: "", id, historyLength: undefined })),
      -32001,
    );
  },
  "CORE-CANCEL-003: CancelTask on an unknown task answers TaskNotFoundError (-32001)": async (
    t,
  ) => {
    const id = crypto.randomUUID();
    assertEquals(await errorCode(t.v1.cancelTask({ tenant: "", id, metadata: undefined })), -32001);
  },
  "CORE-CANCEL-002: CancelTask on a finished task answers TaskNotCancelableError (-32002)": async (
    t,
  ) => {
    const { id } = await completedTask(t);
    assertEquals(await errorCode(t.v1.cancelTask({ tenant: "", id, metadata: undefined })), -32002);
  },
  "CORE-SEND-002: a message to a finished task is refused": async (t) => {
    const task = await completedTask(t);
    const message = { ...userMessage("More, please."), taskId: task.id };
    const code = await errorCode(t.v1.sendMessage(sendRequest(message)));
    assert(code !== undefined && code < 0, `expected an error, got ${code}`);
  },
  "CORE-MULTI-004: a message naming an unknown task answers TaskNotFoundError (-32001)": async (
    t,
  ) => {
    const message = { ...userMessage("Continue."), taskId: crypto.randomUUID() };
    assertEquals(await errorCode(t.v1.sendMessage(sendRequest(message))), -32001);
  },
  "CORE-STREAM-001/003: a stream starts with the task, stays on it, ends completed": async (t) => {
    const events = [];
    for await (const event of t.v1.sendMessageStream(sendRequest(userMessage("Stream it.")))) {
      events.push(event.payload!);
    }
    assertEquals(events[0].$case, "task", "the stream begins with the Task");
    const id = (events[0].value as Task).id;
    for (const event of events.slice(1)) {
      assertEquals(event.$case === "task" ? event.value.id : (event.value as Json).taskId, id);
    }
    const last = events.at(-1)!;
    const state = last.$case === "task" ? last.value.status?.state : (last.value as Json).status
      ?.state;
    assertEquals(state, TaskState.TASK_STATE_COMPLETED, "the stream closes at the terminal state");
  },
  "CORE-CAP-001: push notification config answers as the card declares (-32003 without it)": async (
    t,
  ) => {
    const declared = (await card(t.url, "1.0")).body.capabilities?.pushNotifications === true;
    const answer = await rpc(t.rpcUrl, {
      jsonrpc: "2.0",
      id: 3,
      method: "CreateTaskPushNotificationConfig",
      params: { taskId: crypto.randomUUID(), url: "http://127.0.0.1:9/hook" },
    }, "1.0");
    // Supported: a config for a task that does not exist names the task as not found.
    assertEquals(answer.error?.code, declared ? -32001 : -32003, JSON.stringify(answer));
  },
  "JSON-RPC: unknown method -32601, invalid params -32602, bad JSON -32700 (v1.0 and v0.3)": async (
    t,
  ) => {
    for (const version of ["1.0", undefined]) {
      const unknown = await rpc(
        t.rpcUrl,
        { jsonrpc: "2.0", id: 4, method: "Nope", params: {} },
        version,
      );
      assertEquals([unknown.id, unknown.error?.code], [4, -32601], JSON.stringify(unknown));
      const method = version ? "SendMessage" : "message/send";
      const invalid = await rpc(
        t.rpcUrl,
        { jsonrpc: "2.0", id: 5, method, params: { message: "not a message" } },
        version,
      );
      assertEquals(invalid.error?.code, -32602, JSON.stringify(invalid));
      const parse = await rpc(t.rpcUrl, "{not json", version);
      assertEquals(parse.error?.code, -32700, JSON.stringify(parse));
    }
  },
  "v0.3: message/send, tasks/get, tasks/cancel (-32001, -32002), message/stream": async (t) => {
    const sent = asTask(await t.legacy.sendMessage(sendRequest(userMessage("Legacy research."))));
    assertEquals(sent.status?.state, TaskState.TASK_STATE_COMPLETED);
    const fetched = await t.legacy.getTask({ tenant: "", id: sent.id, historyLength: undefined });
    assertEquals(fetched.id, sent.id);
    const missing = { tenant: "", id: crypto.randomUUID(), metadata: undefined };
    assertEquals(await errorCode(t.legacy.cancelTask(missing)), -32001);
    const done = { tenant: "", id: sent.id, metadata: undefined };
    assertEquals(await errorCode(t.legacy.cancelTask(done)), -32002);
    const events = [];
    for await (const event of t.legacy.sendMessageStream(sendRequest(userMessage("Stream.")))) {
      events.push(event.payload!);
    }
    assertEquals(events[0].$case, "task");
    const last = events.at(-1)!;
    assertEquals(
      last.$case === "task" ? last.value.status?.state : (last.value as Json).status?.state,
      TaskState.TASK_STATE_COMPLETED,
    );
    const raw = await rpc(t.rpcUrl, {
      jsonrpc: "2.0",
      id: 6,
      method: "tasks/get",
      params: { id: sent.id },
    });
    assertEquals([raw.result.kind, raw.result.status.state], ["task", "completed"]);
  },
};

/** A server to check: its card at `url`, JSON-RPC at `rpcUrl` (default: `url` itself). */
export async function target(
  name: string,
  url: string,
  rpcUrl: string = `${url}/`,
): Promise<Target> {
  return {
    name,
    url,
    rpcUrl,
    v1: await new ClientFactory().createFromUrl(url),
    legacy: new LegacyJsonRpcTransport({ endpoint: rpcUrl }),
  };
}
