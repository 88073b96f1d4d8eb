/** An agent's numbers: calls, success rate, p50/p95 latency and its last step error. */
import type { AgentCalls } from "../types.ts";

const ms = (value: number | null) =>
  value === null
    ? "—"
    : value < 1000
    ? `${Math.round(value)} ms`
    : `${(value / 1000).toFixed(1)} s`;

export function AgentCallFacts({ usage }: { usage?: AgentCalls }) {
  if (!usage) return <p class="muted hint agent-usage">No calls yet.</p>;
  return (
    <dl class="facts facts-inline agent-usage" data-usage-agent={usage.agent_id}>
      <dt>Calls</dt>
      <dd data-fact="calls">{usage.calls}</dd>
      <dt>Success rate</dt>
      <dd data-fact="success">
        {usage.success_rate === null ? "—" : `${Math.round(usage.success_rate * 100)}%`}
      </dd>
      <dt>p50 latency</dt>
      <dd data-fact="p50">{ms(usage.p50_ms)}</dd>
      <dt>p95 latency</dt>
      <dd data-fact="p95">{ms(usage.p95_ms)}</dd>
      {usage.last_error && (
        <>
          <dt>Last step error</dt>
          <dd class="error-text" data-fact="last-error">{usage.last_error}</dd>
        </>
      )}
    </dl>
  );
}
