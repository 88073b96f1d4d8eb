import { render } from "preact-render-to-string";
import { assertEquals, assertStringIncludes } from "@app/lib/assert";
import { formatCost, UsageSummary } from "./usage_summary.tsx";
import { TraceLink } from "./trace_link.tsx";
import { StepList } from "./step_list.tsx";
import type { StepView } from "../types.ts";

const usage = { input_tokens: 1200, output_tokens: 34, total_tokens: 1234, cost_usd: 0.00123 };

Deno.test("[ui] tokens and cost read as one line; unknown prices say so; none shows nothing", () => {
  const html = render(<UsageSummary usage={usage} label="spent" />);
  assertStringIncludes(html, "spent 1,234 tokens · $0.0012");
  assertStringIncludes(html, 'title="1,200 in, 34 out"');
  assertStringIncludes(
    render(<UsageSummary usage={{ ...usage, cost_usd: null }} />),
    "cost unknown",
  );
  assertEquals(render(<UsageSummary usage={null} />), "");
  assertEquals(render(<UsageSummary usage={{ ...usage, total_tokens: 0 }} />), "");
  assertEquals([formatCost(0), formatCost(1.234), formatCost(0.000456)], [
    "$0",
    "$1.23",
    "$0.00046",
  ]);
});

Deno.test("[ui] a trace is a link with TRACE_URL_TEMPLATE, else its id, else nothing", () => {
  const link = render(
    <TraceLink task={{ trace_id: "ab12", trace_url: "http://jaeger/trace/ab12" }} />,
  );
  assertStringIncludes(link, 'href="http://jaeger/trace/ab12"');
  assertStringIncludes(link, "View trace");
  assertStringIncludes(
    render(<TraceLink task={{ trace_id: "ab12", trace_url: null }} />),
    "trace ab12",
  );
  assertEquals(render(<TraceLink task={{ trace_id: null, trace_url: null }} />), "");
});

Deno.test("[ui] each step shows its own usage", () => {
  const step = (n: number, withUsage: boolean): StepView => ({
    step_number: n,
    description: `step ${n}`,
    capability: "research",
    agent_id: 1,
    agent_name: "Agent",
    dependencies: [],
    status: "completed",
    attempts: 1,
    input_data: {},
    output_data: {},
    error: null,
    started_at: null,
    completed_at: null,
    usage: withUsage ? { ...usage, model: "m" } : null,
  });
  const html = render(<StepList steps={[step(1, true), step(2, false)]} />);
  assertEquals(html.match(/class="usage"/g)?.length, 1);
  assertStringIncludes(html, "1,234 tokens");
});
