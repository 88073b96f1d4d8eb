/**
 * One trace per task across every service: the orchestrator and both built-in agents run as
 * real processes with Deno's OpenTelemetry on (OTEL_DENO=true), exporting to an OTLP/HTTP
 * receiver this test starts, in http/json and in http/protobuf; a task submitted to the
 * orchestrator yields one trace holding the submit, the planning, the task's run and its steps,
 * and the agents' spans, whose parents are the orchestrator's spans in another process. The
 * task's view names the trace, and the services' log lines carry its ids.
 */
import { assert, assertEquals } from "@app/lib/assert";
import { dbTest, openTestDatabase } from "@app/db/testing";
import { startFakeOpenAI } from "@app/lib/testing/fake_openai";
import { type ServiceProcess, startServiceProcess } from "../scripts/service_process.ts";
import { builtInAgentPorts, orchestratorEnv } from "./helpers/orchestrator_env.ts";
import {
  type OtlpReceiver,
  type ReceivedSpan,
  startOtlpReceiver,
} from "./helpers/otlp_receiver.ts";
import { PLAN } from "./helpers/llm_stack.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

async function until<T>(fn: () => Promise<T | undefined> | T | undefined, what: string) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const value = await fn();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * The agents as processes, exporting to a receiver started here, and a way to start
 * orchestrators beside them; the fake LLM answers the planner at once, the agents after
 * `llmDelayMs`.
 */
async function tracedStack(
  databaseUrl: string,
  protocol: "http/json" | "http/protobuf",
  llmDelayMs = 0,
) {
  const receiver = startOtlpReceiver();
  const llm = startFakeOpenAI({
    reply: (body) =>
      body.tools?.length || body.response_format ? { json: PLAN } : {
        content: "Widgets sell well. Acme leads the market with a third of sales.",
        delayMs: llmDelayMs,
      },
  });
  const ports = builtInAgentPorts();
  const env = (service: string, extra: Record<string, string> = {}) => ({
    ...orchestratorEnv(databaseUrl, ports),
    LLM_PROVIDER: "openai_compatible",
    OPENAI_BASE_URL: llm.url,
    LLM_MODEL: "fake-model",
    LLM_MAX_RETRIES: "0",
    TRACE_URL_TEMPLATE: "http://jaeger.test/trace/{trace_id}",
    OTEL_DENO: "true",
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
    OTEL_SERVICE_NAME: service,
    LOG_LEVEL: "debug",
    ...extra,
  });
  const services: ServiceProcess[] = [];
  const close = async () => {
    await Promise.all(services.map((s) => s.kill()));
    await llm.close();
    await receiver.close();
  };
  try {
    services.push(await startServiceProcess("agents/a2a/main.ts", env("a2a-agent")));
    services.push(await startServiceProcess("agents/api/main.ts", env("api-agent")));
  } catch (error) {
    await close();
    throw error;
  }
  return {
    receiver,
    services,
    close,
    /** An orchestrator process, once the built-in agents are registered and active. */
    async orchestrator(name: string, extra: Record<string, string> = {}) {
      const process = await startServiceProcess("orchestrator/main.ts", env(name, extra));
      services.push(process);
      const api = async (path: string, init?: RequestInit) =>
        await (await fetch(process.url + path, init)).json() as Json;
      await until(async () => {
        const agents = await api("/api/agents") as Json[];
        return agents.length === 2 && agents.every((a) => a.status === "active") || undefined;
      }, "the built-in agents");
      return { process, api };
    },
  };
}

const submit = (api: (path: string, init?: RequestInit) => Promise<Json>) =>
  api("/api/tasks", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ description: "Research the widget market and summarize it" }),
  });

const finished = (api: (path: string) => Promise<Json>, id: number) =>
  until(async () => {
    const t = await api(`/api/tasks/${id}`);
    return ["completed", "failed"].includes(t.status) ? t : undefined;
  }, `task ${id}`);

/** Waits until each named span of the trace has arrived (services export in batches). */
function spansOf(receiver: OtlpReceiver, traceId: string, last: string[]) {
  const inTrace = () => receiver.spans.filter((s) => s.traceId === traceId);
  return until(
    () => last.every((name) => inTrace().some((s) => s.name === name)) ? inTrace() : undefined,
    `the trace's spans (${last.join(", ")})`,
  );
}

async function traceOneTask(databaseUrl: string, protocol: "http/json" | "http/protobuf") {
  const stack = await tracedStack(databaseUrl, protocol);
  try {
    const { api } = await stack.orchestrator("orchestrator");
    const created = await submit(api);
    const task = await finished(api, created.task_id);
    assertEquals(task.status, "completed", JSON.stringify(task.error));
    assert(/^[0-9a-f]{32}$/.test(task.trace_id), `trace_id: ${task.trace_id}`);
    assertEquals(task.trace_url, `http://jaeger.test/trace/${task.trace_id}`);
    const spans = await spansOf(stack.receiver, task.trace_id, [
      `task ${task.id}`,
      "research",
      "operation summarize",
    ]);
    const output = stack.services.flatMap((s) => s.output);
    return { spans, receiver: stack.receiver, task, output };
  } finally {
    await stack.close();
  }
}

/** The span's ancestors (nearest first), within the spans received. */
function ancestors(span: ReceivedSpan, spans: ReceivedSpan[]): ReceivedSpan[] {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const chain: ReceivedSpan[] = [];
  for (let at = byId.get(span.parentSpanId); at; at = byId.get(at.parentSpanId)) chain.push(at);
  return chain;
}

function assertOneTracePerTask(
  result: Awaited<ReturnType<typeof traceOneTask>>,
  protocol: string,
) {
  const { spans, receiver, task, output } = result;
  assert(
    receiver.contentTypes.has(
      protocol === "http/json" ? "application/json" : "application/x-protobuf",
    ),
    [...receiver.contentTypes].join(),
  );
  const services = new Set(spans.map((s) => s.service));
  assertEquals([...services].sort(), ["a2a-agent", "api-agent", "orchestrator"]);

  // One root: the submitting request; the run, its steps and the agents' work below it.
  const roots = spans.filter((s) => !s.parentSpanId);
  assertEquals(roots.length, 1, JSON.stringify(roots));
  assertEquals(roots[0].service, "orchestrator");
  const names = (service: string) => spans.filter((s) => s.service === service).map((s) => s.name);
  for (const name of ["plan", `task ${task.id}`, "step 1", "step 2"]) {
    assert(
      names("orchestrator").includes(name),
      `orchestrator span ${name}: ${names("orchestrator")}`,
    );
  }
  const step1 = spans.find((s) => s.name === "step 1")!;
  assertEquals(step1.attributes["task.id"], task.id);
  assertEquals(step1.attributes["step.capability"], "research");
  assertEquals(step1.attributes["step.outcome"], "completed");

  // The agents' spans: children of the orchestrator's, across processes, under its steps.
  for (
    const [service, step, own] of [
      ["a2a-agent", "step 1", "research"],
      ["api-agent", "step 2", "operation summarize"],
    ]
  ) {
    const agentSpans = spans.filter((s) => s.service === service);
    assert(agentSpans.some((s) => s.name === own), `${service}: ${names(service)}`);
    const crossing = agentSpans.filter((s) =>
      spans.find((p) => p.spanId === s.parentSpanId)?.service === "orchestrator"
    );
    assert(crossing.length > 0, `${service} has a span whose parent is the orchestrator's`);
    for (const span of agentSpans) {
      assert(
        ancestors(span, spans).some((a) => a.service === "orchestrator" && a.name === step),
        `${service}'s ${span.name} is under the orchestrator's ${step}`,
      );
    }
  }
  // The A2A agent's graph nodes, and every LLM call with the GenAI attributes.
  for (const node of ["plan", "gather", "analyse", "synthesise"]) {
    assert(names("a2a-agent").includes(`node ${node}`), `node ${node}: ${names("a2a-agent")}`);
  }
  const chats = spans.filter((s) => s.name.startsWith("chat "));
  assert(chats.some((s) => s.service === "orchestrator"), "the planner's call is traced");
  for (const chat of chats) {
    assertEquals(chat.attributes["gen_ai.system"], "openai");
    assertEquals(chat.attributes["gen_ai.request.model"], "fake-model");
    assert(Number(chat.attributes["gen_ai.usage.input_tokens"]) > 0, JSON.stringify(chat));
    assert(Number(chat.attributes["gen_ai.usage.output_tokens"]) > 0, JSON.stringify(chat));
  }

  // Log lines written inside the trace carry its ids.
  const logged = output.filter((l) => l.includes(`"trace_id":"${task.trace_id}"`));
  assert(logged.length > 0, "some log line names the trace");
  assert(
    logged.every((l) => /"span_id":"[0-9a-f]{16}"/.test(l)),
    "log lines with a trace id have a span id",
  );
}

dbTest(
  "[tracing] one trace per task across the orchestrator and both agents (http/json)",
  async ({ url }) => {
    assertOneTracePerTask(await traceOneTask(url, "http/json"), "http/json");
  },
);

Deno.test({
  name: "[tracing] the same over http/protobuf (sqlite)",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const db = await openTestDatabase("sqlite");
    try {
      assertOneTracePerTask(await traceOneTask(db.url, "http/protobuf"), "http/protobuf");
    } finally {
      await db.close();
    }
  },
});

Deno.test({
  name:
    "[tracing] a task taken over by another orchestrator goes on in its submit's trace (sqlite)",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const db = await openTestDatabase("sqlite");
    // Each agent LLM call takes a while: the first orchestrator dies during the research step.
    const stack = await tracedStack(db.url, "http/json", 400);
    try {
      const lease = { LEASE_MS: "1500" };
      const first = await stack.orchestrator("orchestrator-a", lease);
      const created = await submit(first.api);
      const submitted = await until(async () => {
        const t = await first.api(`/api/tasks/${created.task_id}`);
        return t.steps[0].status === "running" && t.trace_id ? t : undefined;
      }, "the research step to run");
      await first.process.kill("SIGKILL");
      const second = await stack.orchestrator("orchestrator-b", lease);
      const task = await finished(second.api, created.task_id);
      assertEquals(task.status, "completed", JSON.stringify(task.error));
      assertEquals(task.trace_id, submitted.trace_id, "the trace is the task's, whoever runs it");

      const spans = await spansOf(stack.receiver, task.trace_id, [`task ${task.id}`]);
      const run = spans.find((s) =>
        s.service === "orchestrator-b" && s.name === `task ${task.id}`
      )!;
      assert(run, "the second orchestrator's run is in the trace");
      assert(run.parentSpanId, "its parent is the submitting request's span (in the dead process)");
      const steps = spans.filter((s) => s.service === "orchestrator-b" && /^step \d$/.test(s.name));
      assert(steps.length >= 1, "the steps run after the takeover are in the trace");
      assert(steps.every((s) => ancestors(s, spans).includes(run)));
    } finally {
      await stack.close();
      await db.close();
    }
  },
});
