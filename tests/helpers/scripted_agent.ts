/**
 * A real REST agent for tests: answers /health, /capabilities and /api/process like the API
 * agent does, counts the calls it receives per step, and can be scripted to fail or stall.
 */
import { Hono } from "hono";

export interface ScriptedAgentOptions {
  name: string;
  capabilities: string[];
  /** Decides the answer to the n-th call (from 1) for a step; default: succeed at once. */
  behave?: (call: { n: number; instruction: string; input: string }) =>
    | { status: number; body?: string }
    | { delayMs: number }
    | { hang: true }
    /** Answer (with success) once this has settled: something done meanwhile, to the end. */
    | { after: Promise<unknown> }
    | undefined;
  delayMs?: number;
  /** The answer to a successful call (default: a summary and an insight naming the step). */
  answer?: (call: { instruction: string; input: string }) => Record<string, unknown>;
  /** Honour `Idempotency-Key`: a repeated key gets the first answer, the work not done again. */
  honourKeys?: boolean;
  /** LLM usage to report with every answer, as the API agent does (`usage` in its JSON). */
  usage?: { input_tokens: number; output_tokens: number; model: string };
}

export interface ScriptedAgent {
  url: string;
  name: string;
  capabilities: string[];
  /** Calls received, by step instruction. */
  calls: Map<string, number>;
  /** Calls answered with success, by step instruction. */
  successes: Map<string, number>;
  /** [start, end] times (ms) of each successful call. */
  intervals: [number, number][];
  inputs: string[];
  /** The Idempotency-Key header of each call received, in order. */
  keys: (string | null)[];
  /** Calls answered from the answers by key (with `honourKeys`). */
  replays: () => number;
  close(): Promise<void>;
}

export function startScriptedAgent(options: ScriptedAgentOptions): ScriptedAgent {
  const calls = new Map<string, number>();
  const successes = new Map<string, number>();
  const intervals: [number, number][] = [];
  const inputs: string[] = [];
  const keys: (string | null)[] = [];
  /** By key: the answer, once the call that first carried it succeeds (undefined if it failed). */
  const answers = new Map<string, Promise<Record<string, unknown> | undefined>>();
  let replays = 0;
  const closing = new AbortController();
  const app = new Hono();
  app.get("/health", (c) => c.json({ status: "healthy" }));
  app.get(
    "/capabilities",
    (c) =>
      c.json({
        name: options.name,
        description: `${options.name} (test)`,
        capabilities: options.capabilities,
      }),
  );
  app.post("/api/process", async (c) => {
    const started = performance.now();
    const body = await c.req.json();
    const instruction = String(body.options?.instruction ?? "");
    const input = String(body.input ?? "");
    inputs.push(input);
    const key = c.req.header("idempotency-key") ?? null;
    keys.push(key);
    const n = (calls.get(instruction) ?? 0) + 1;
    calls.set(instruction, n);
    if (options.honourKeys && key && answers.has(key)) {
      const answer = await answers.get(key);
      if (answer) {
        replays++;
        return c.json(answer);
      }
    }
    let answered: (answer?: Record<string, unknown>) => void = () => {};
    if (options.honourKeys && key) {
      answers.set(key, new Promise((resolve) => (answered = resolve)));
    }
    const behaviour = options.behave?.({ n, instruction, input });
    if (behaviour && ("status" in behaviour || "hang" in behaviour)) answered(undefined);
    if (behaviour && "hang" in behaviour) {
      // Until the caller gives up, or the agent closes (a cancelled call's abort does not
      // always reach it: seen after earlier calls on the same keep-alive connection).
      await new Promise((resolve) => {
        c.req.raw.signal.addEventListener("abort", resolve);
        closing.signal.addEventListener("abort", resolve);
      });
      return c.text("aborted", 499 as never);
    }
    if (behaviour && "after" in behaviour) await behaviour.after.catch(() => {});
    const delay = behaviour && "delayMs" in behaviour ? behaviour.delayMs : options.delayMs ?? 0;
    if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
    if (behaviour && "status" in behaviour) {
      return c.body(
        behaviour.body ?? JSON.stringify({ error: "scripted failure" }),
        behaviour.status as never,
        {
          "content-type": "application/json",
        },
      );
    }
    successes.set(instruction, (successes.get(instruction) ?? 0) + 1);
    intervals.push([started, performance.now()]);
    const answer = options.answer?.({ instruction, input }) ?? {
      operation: body.operation,
      summary: `${options.name} handled "${instruction}" given: ${input.slice(0, 200)}`,
      insights: [`${options.name} insight on ${instruction}`],
      result: { length: input.length },
      offline: true,
      ...(options.usage && {
        usage: {
          ...options.usage,
          total_tokens: options.usage.input_tokens + options.usage.output_tokens,
        },
      }),
    };
    answered(answer);
    return c.json(answer);
  });
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, app.fetch);
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    name: options.name,
    capabilities: options.capabilities,
    calls,
    successes,
    intervals,
    inputs,
    keys,
    replays: () => replays,
    close: () => {
      closing.abort();
      return server.shutdown();
    },
  };
}

/** Registers `agent` with an orchestrator as a REST agent; its id. */
export async function registerScriptedAgent(
  orch: {
    api<T>(path: string, init?: RequestInit & { json?: unknown }): Promise<{ body: T }>;
  },
  agent: Pick<ScriptedAgent, "name" | "url" | "capabilities">,
  headers: Record<string, string> = {},
): Promise<number> {
  const { body } = await orch.api<{ id: number }>("/api/agents", {
    method: "POST",
    headers,
    json: {
      name: agent.name,
      agent_type: "api",
      endpoint: agent.url,
      capabilities: agent.capabilities,
    },
  });
  return body.id;
}
