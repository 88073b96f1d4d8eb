/**
 * A fake OpenAI-compatible server for tests: the real `@langchain/openai` client talks HTTP to it,
 * so tests cover what is really sent and parsed. Replies are scripted per test; every request is
 * recorded so a test can assert on it.
 */
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** One tool call the fake model makes; `arguments` may be an object (serialized for you). */
export interface FakeToolCall {
  name: string;
  arguments: Record<string, unknown> | string;
  id?: string;
}

/**
 * What the fake model answers. A string is plain text. `json` answers structured output in the
 * form the request asked for: the content of a `response_format` json_schema/json_object reply,
 * or a call to the tool `tool_choice` forces. `status` answers an HTTP error instead.
 */
export type FakeReply =
  | string
  | {
    content?: string;
    tool_calls?: FakeToolCall[];
    json?: unknown;
    status?: number;
    error?: string;
    /** Wait this long before answering (to test timeouts and cancellation). */
    delayMs?: number;
  };

/** The parts of a chat completion request the fake reads; the rest is kept in `body`. */
export interface ChatRequest {
  model?: string;
  messages: { role: string; content: unknown; [key: string]: unknown }[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  response_format?: { type: string; json_schema?: { name?: string; schema?: unknown } };
  tools?: { type: string; function: { name: string } }[];
  tool_choice?: unknown;
  [key: string]: unknown;
}

export interface RecordedRequest {
  path: string;
  body: ChatRequest;
  headers: Record<string, string>;
}

export type ReplyScript =
  | FakeReply[]
  | ((request: ChatRequest, index: number) => FakeReply | Promise<FakeReply>);

export interface FakeOpenAIOptions {
  /** A queue (first request gets the first reply) or a function of the request. */
  reply?: ReplyScript;
  /** Ids listed by `GET /v1/models`. */
  models?: string[];
}

/** The usage the fake reported for one completion, as the wire said it. */
export interface ReportedUsage {
  model: string;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  /** False for a stream that did not ask for usage (the client never saw it). */
  sent: boolean;
}

export interface FakeOpenAI {
  /** Base URL to give the client, ending in `/v1`. */
  url: string;
  requests: RecordedRequest[];
  /** Every completion's usage, in order: what a usage total must add up to. */
  reported: ReportedUsage[];
  /** Chat completion requests only, in order. */
  readonly chatRequests: ChatRequest[];
  close(): Promise<void>;
}

interface Answer {
  content: string | null;
  toolCalls: { id: string; name: string; arguments: string }[];
}

/** The Hono app alone, for tests that mount it themselves. */
export function createFakeOpenAIApp(
  options: FakeOpenAIOptions = {},
  requests: RecordedRequest[] = [],
  reported: ReportedUsage[] = [],
): Hono {
  const app = new Hono();
  const queue = Array.isArray(options.reply) ? [...options.reply] : undefined;
  let served = 0;
  let created = 1_700_000_000;

  const nextReply = async (body: ChatRequest): Promise<FakeReply | undefined> => {
    const index = served++;
    if (typeof options.reply === "function") return await options.reply(body, index);
    return queue?.shift();
  };

  app.get("/v1/models", (c) =>
    c.json({
      object: "list",
      data: (options.models ?? ["fake-model"]).map((id) => ({
        id,
        object: "model",
        created: 1_700_000_000,
        owned_by: "fake-openai",
      })),
    }));

  app.post("/v1/chat/completions", async (c) => {
    const body = await c.req.json<ChatRequest>();
    requests.push({ path: c.req.path, body, headers: Object.fromEntries(c.req.raw.headers) });
    const reply = await nextReply(body);
    if (reply === undefined) {
      return c.json(errorBody("fake openai: no scripted reply left for this request"), 500);
    }
    if (typeof reply === "object" && reply.delayMs) await sleep(reply.delayMs);
    if (typeof reply === "object" && reply.status) {
      return c.json(
        errorBody(reply.error ?? "scripted error"),
        reply.status as ContentfulStatusCode,
      );
    }
    const answer = toAnswer(reply, body);
    const id = `chatcmpl-fake-${served}`;
    const model = body.model ?? "fake-model";
    const stamp = created++;
    const finish = answer.toolCalls.length ? "tool_calls" : "stop";
    const usage = usageFor(body, answer);
    reported.push({
      model,
      ...usage,
      sent: !body.stream || body.stream_options?.include_usage === true,
    });

    if (!body.stream) {
      return c.json({
        id,
        object: "chat.completion",
        created: stamp,
        model,
        system_fingerprint: "fp_fake",
        choices: [{
          index: 0,
          message: {
            role: "assistant",
            content: answer.content,
            refusal: null,
            ...(answer.toolCalls.length && {
              tool_calls: answer.toolCalls.map((call) => ({
                id: call.id,
                type: "function",
                function: { name: call.name, arguments: call.arguments },
              })),
            }),
          },
          logprobs: null,
          finish_reason: finish,
        }],
        usage,
      });
    }

    // OpenAI's streaming shape: a role chunk, content/tool-call deltas, a finish chunk,
    // an optional usage chunk with no choices, then the literal `[DONE]`.
    const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) => ({
      id,
      object: "chat.completion.chunk",
      created: stamp,
      model,
      system_fingerprint: "fp_fake",
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    });
    return streamSSE(c, async (stream) => {
      const send = (data: unknown) => stream.writeSSE({ data: JSON.stringify(data) });
      await send(chunk({ role: "assistant", content: answer.toolCalls.length ? null : "" }));
      for (const piece of splitForStreaming(answer.content ?? "")) {
        await send(chunk({ content: piece }));
      }
      for (const [index, call] of answer.toolCalls.entries()) {
        await send(chunk({
          tool_calls: [{
            index,
            id: call.id,
            type: "function",
            function: { name: call.name, arguments: "" },
          }],
        }));
        for (const piece of splitForStreaming(call.arguments)) {
          await send(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
        }
      }
      await send(chunk({}, finish));
      if (body.stream_options?.include_usage) {
        await send({ ...chunk({}), choices: [], usage });
      }
      await stream.writeSSE({ data: "[DONE]" });
    });
  });

  return app;
}

/** Starts the fake on a free local port. */
export function startFakeOpenAI(options: FakeOpenAIOptions = {}): FakeOpenAI {
  const requests: RecordedRequest[] = [];
  const reported: ReportedUsage[] = [];
  const app = createFakeOpenAIApp(options, requests, reported);
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen: () => {} },
    app.fetch,
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}/v1`,
    requests,
    reported,
    get chatRequests() {
      return requests.filter((r) => r.path === "/v1/chat/completions").map((r) => r.body);
    },
    close: () => server.shutdown(),
  };
}

/** The text of a message's content, whether a string or OpenAI's array of parts. */
export function messageText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content.map((part) => (typeof part?.text === "string" ? part.text : "")).join("");
  }
  return "";
}

function toAnswer(reply: FakeReply, body: ChatRequest): Answer {
  if (typeof reply === "string") return { content: reply, toolCalls: [] };
  const toolCalls = (reply.tool_calls ?? []).map((call, i) => ({
    id: call.id ?? `call_fake_${i}`,
    name: call.name,
    arguments: typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments),
  }));
  if (reply.json !== undefined) {
    const forced = forcedTool(body);
    // Structured output by function calling: answer with a call to the forced tool.
    if (forced && !body.response_format) {
      toolCalls.push({
        id: `call_fake_${toolCalls.length}`,
        name: forced,
        arguments: JSON.stringify(reply.json),
      });
      return { content: reply.content ?? null, toolCalls };
    }
    return { content: JSON.stringify(reply.json), toolCalls };
  }
  return { content: reply.content ?? (toolCalls.length ? null : ""), toolCalls };
}

function forcedTool(body: ChatRequest): string | undefined {
  const choice = body.tool_choice as { function?: { name?: string } } | string | undefined;
  if (choice && typeof choice === "object" && choice.function?.name) return choice.function.name;
  if (body.tools?.length === 1) return body.tools[0].function.name;
  return undefined;
}

function usageFor(body: ChatRequest, answer: Answer) {
  const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
  const prompt_tokens = body.messages.reduce((n, m) => n + words(messageText(m.content)), 0);
  const completion_tokens = words(answer.content ?? "") +
    answer.toolCalls.reduce((n, call) => n + words(call.arguments), 0);
  return { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens };
}

/** Splits text into a few word-sized pieces, as a real stream would. */
function splitForStreaming(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

function errorBody(message: string) {
  return { error: { message, type: "fake_error", param: null, code: null } };
}

// Deliberately ignores the request's signal: listening to it makes Deno warn in every test.
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
