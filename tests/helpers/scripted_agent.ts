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
    | undefined;
  delayMs?: number;
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
  close(): Promise<void>;
}

export function startScriptedAgent(options: ScriptedAgentOptions): ScriptedAgent {
  const calls = new Map<string, number>();
  const successes = new Map<string, number>();
  const intervals: [number, number][] = [];
  const inputs: string[] = [];
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
    const n = (calls.get(instruction) ?? 0) + 1;
    calls.set(instruction, n);
    const behaviour = options.behave?.({ n, instruction, input });
    if (behaviour && "hang" in behaviour) {
      await new Promise((resolve) => c.req.raw.signal.addEventListener("abort", resolve));
      return c.text("aborted", 499 as never);
    }
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
    return c.json({
      operation: body.operation,
      summary: `${options.name} handled "${instruction}" given: ${input.slice(0, 200)}`,
      insights: [`${options.name} insight on ${instruction}`],
      result: { length: input.length },
      offline: true,
    });
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
    close: () => server.shutdown(),
  };
}
