/**
 * Each agent's calls, success rate, p50/p95 latency and last error, made from its recent
 * finished steps (db `recentStepOutcomes`, newest first). Pure.
 */
import type { StepOutcome } from "@app/db";
import type { AgentCalls } from "@app/lib/api_contract";

/** The nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function agentCalls(outcomes: readonly StepOutcome[]): AgentCalls[] {
  const byAgent = new Map<number, StepOutcome[]>();
  for (const outcome of outcomes) {
    const list = byAgent.get(outcome.agent_id) ?? [];
    list.push(outcome);
    byAgent.set(outcome.agent_id, list);
  }
  return [...byAgent].sort(([a], [b]) => a - b).map(([agentId, list]) => {
    const succeeded = list.filter((o) => o.status === "completed");
    const durations = succeeded
      .map((o) =>
        o.started_at && o.completed_at
          ? new Date(o.completed_at).getTime() - new Date(o.started_at).getTime()
          : NaN
      )
      .filter((ms) => Number.isFinite(ms) && ms >= 0)
      .sort((a, b) => a - b);
    const failed = list.length - succeeded.length;
    return {
      agent_id: agentId,
      calls: list.length,
      succeeded: succeeded.length,
      failed,
      success_rate: list.length ? succeeded.length / list.length : null,
      p50_ms: percentile(durations, 50),
      p95_ms: percentile(durations, 95),
      // Newest first: the first failure is the latest.
      last_error: list.find((o) => o.status === "failed")?.error ?? null,
    };
  });
}
