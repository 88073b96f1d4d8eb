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
import { type ReceivedSpan, startOtlpReceiver } from "./helpers/otlp_receiver.ts";
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

async function traceOneTask(databaseUrl: string, protocol: "http/json" | "http/protobuf") {
  const receiver = startOtlpReceiver();
  const llm = startFakeOpenAI({
    reply: (body) =>
      body.tools?.length || body.response_format
        ? { json: PLAN }
        : "Widgets sell well. Acme leads the market with a third of sales.",
  });
  const ports = builtInAgentPorts();
  const env = (service: string) => ({
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
  });
  const services: ServiceProcess[] = [];
  try {
    services.push(await startServiceProcess("agents/a2a/main.ts", env("a2a-agent")));
    services.push(await startServiceProcess("agents/api/main.ts", env("api-agent")));
    const orchestrator = await startServiceProcess("orchestrator/main.ts", env("orchestrator"));
    services.push(orchestrator);
    const api = async (path: string, init?: RequestInit) =>
      await (await fetch(orchestrator.url + path, init)).json() as Json;
    await until(async () => {
      const agents = await api("/api/agents") as Json[];
      return agents.length === 2 && agents.every((a) => a.status === "active") || undefined;
    }, "the built-in agents");

    const created = await api("/api/tasks", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ description: "Research the widget market and summarize it" }),
    });
    const task = await until(async () => {
      const t = await api(`/api/tasks/${created.task_id}`);
      return ["completed", "failed"].includes(t.status) ? t : undefined;
    }, "the task");
    assertEquals(task.status, "completed", JSON.stringify(task.error));
    assert(/^[0-9a-f]{32}$/.test(task.trace_id), `trace_id: ${task.trace_id}`);
    assertEquals(task.trace_url, `http://jaeger.test/trace/${task.trace_id}`);

    // Everything of the task's trace, once the spans that end last in each service are in
    // (each service exports in batches of its own).
    const inTrace = () => receiver.spans.filter((s) => s.traceId === task.trace_id);
    const last = [`task ${task.id}`, "research", "operation summarize"];
    await until(
      () => last.every((name) => inTrace().some((s) => s.name === name)) || undefined,
      `the trace's spans (${last.join(", ")})`,
    );
    return { spans: inTrace(), receiver, task, output: services.flatMap((s) => s.output) };
  } finally {
    await Promise.all(services.map((s) => s.kill()));
    await llm.close();
    await receiver.close();
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
