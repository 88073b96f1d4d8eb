/**
 * `/metrics` of every service (the UI's: ui/app_test.ts) is Prometheus text that a real parser (parse-prometheus-text-format)
 * accepts, with the orchestrator's histograms (steps, agent calls, planning), queue depth, lease
 * takeovers and tokens and cost by agent and model, the latter equal to what the fake LLM server
 * reported; the agents answer their HTTP histograms.
 */
import parsePrometheus from "parse-prometheus-text-format";
import { assert, assertAlmostEquals, assertEquals } from "@app/lib/assert";
import { dbTest } from "@app/db/testing";
import { cost, replies, startStack, tokens } from "./helpers/llm_stack.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;
type Family = {
  name: string;
  type: string;
  metrics: { value?: string; labels?: Record<string, string>; buckets?: Record<string, string> }[];
};

/** The families the parser read, and the text (its histograms keep one series per family). */
async function scrape(url: string) {
  const response = await fetch(`${url}/metrics`);
  assertEquals(response.status, 200);
  assert(response.headers.get("content-type")?.startsWith("text/plain; version=0.0.4"));
  const text = await response.text();
  const families = parsePrometheus(text) as Family[];
  const byName = new Map(families.map((f) => [f.name, f]));
  return Object.assign(byName, { text });
}

/** Observations of a histogram over all its series: the sum of its `_count` lines. */
const observations = (text: string, name: string) =>
  [...text.matchAll(new RegExp(`^${name}_count(?:\\{[^}]*\\})? (\\S+)$`, "gm"))]
    .reduce((n, m) => n + Number(m[1]), 0);

dbTest("[metrics] every service's /metrics parses; the orchestrator's add up", async ({ url }) => {
  const llm = replies();
  const stack = await startStack(url, llm);
  try {
    const { task } = await stack.run({
      description: "Research the widget market and summarize it",
    });
    assertEquals(task.status, "completed");

    const orch = await scrape(stack.orch.url);
    const type = (name: string) => orch.get(name)?.type;
    assertEquals(type("orchestrator_step_duration_seconds"), "HISTOGRAM");
    assertEquals(type("orchestrator_agent_call_duration_seconds"), "HISTOGRAM");
    assertEquals(type("orchestrator_planning_duration_seconds"), "HISTOGRAM");
    assertEquals(type("http_server_request_duration_seconds"), "HISTOGRAM");
    assertEquals(orch.get("orchestrator_step_duration_seconds")!.metrics[0].buckets?.["+Inf"], "2");
    assertEquals(observations(orch.text, "orchestrator_step_duration_seconds"), 2);
    assertEquals(observations(orch.text, "orchestrator_agent_call_duration_seconds"), 2);
    assertEquals(observations(orch.text, "orchestrator_planning_duration_seconds"), 1);
    assert(orch.text.includes('orchestrator_planning_duration_seconds_count{planner="llm"} 1'));
    assertEquals(type("orchestrator_queue_depth"), "GAUGE");
    assertEquals(orch.get("orchestrator_queue_depth")!.metrics[0].value, "0");
    assertEquals(type("orchestrator_lease_takeovers_total"), "COUNTER");
    assertEquals(type("process_resident_memory_bytes"), "GAUGE");
    const completed = orch.get("orchestrator_tasks")!.metrics
      .find((m) => m.labels?.status === "completed");
    assertEquals(completed?.value, "1");

    // Tokens and dollars by agent and model: exactly what the LLM server reported.
    const tokenRows = orch.get("orchestrator_llm_tokens_total")!.metrics;
    const sum = (direction: string, agent?: string) =>
      tokenRows.filter((m) =>
        m.labels?.direction === direction && (!agent || m.labels?.agent === agent)
      ).reduce((n, m) => n + Number(m.value), 0);
    const reported = tokens(llm.reported);
    assertEquals([sum("input"), sum("output")], [reported.input_tokens, reported.output_tokens]);
    assertEquals(sum("input", "planner"), llm.reported[0].prompt_tokens);
    assert(tokenRows.every((m) => m.labels?.model === "priced-model"));
    const agents = new Set(tokenRows.map((m) => m.labels?.agent));
    assertEquals(agents.size, 3, `planner and both agents: ${[...agents]}`);
    const dollars = orch.get("orchestrator_llm_cost_usd_total")!.metrics
      .reduce((n, m) => n + Number(m.value), 0);
    assertAlmostEquals(dollars, cost(llm.reported), 1e-12);

    // The agents: their own HTTP histograms, the orchestrator's calls among them.
    for (const agentUrl of [stack.a2aUrl, stack.apiUrl]) {
      const agent = await scrape(agentUrl);
      assertEquals(agent.get("http_server_request_duration_seconds")?.type, "HISTOGRAM");
      assert(observations(agent.text, "http_server_request_duration_seconds") >= 1, agentUrl);
      assertEquals(agent.get("process_resident_memory_bytes")?.type, "GAUGE");
    }
  } finally {
    await stack.close();
    await llm.close();
  }
});
