/** In-process counters and histograms, rendered as Prometheus text by GET /metrics. */
import type { UsageRow } from "@app/db";

const DURATION_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

export class Metrics {
  readonly agentCalls = new Map<string, number>();
  readonly stepDurations = { buckets: DURATION_BUCKETS_S.map(() => 0), sum: 0, count: 0 };
  tasksCreated = 0;
  /** Tokens and dollars by agent and model, as recorded by this process. */
  readonly llmUsage = new Map<string, { input: number; output: number; cost: number }>();

  usage(rows: readonly UsageRow[]): void {
    for (const r of rows) {
      const key = JSON.stringify([r.agent_name ?? "planner", r.model]);
      const seen = this.llmUsage.get(key) ?? { input: 0, output: 0, cost: 0 };
      seen.input += r.input_tokens;
      seen.output += r.output_tokens;
      seen.cost += r.cost_usd ?? 0;
      this.llmUsage.set(key, seen);
    }
  }

  agentCall(outcome: "success" | "failure" | "retry" | "timeout" | "fallback"): void {
    this.agentCalls.set(outcome, (this.agentCalls.get(outcome) ?? 0) + 1);
  }

  stepDuration(seconds: number): void {
    DURATION_BUCKETS_S.forEach((le, i) => {
      if (seconds <= le) this.stepDurations.buckets[i]++;
    });
    this.stepDurations.sum += seconds;
    this.stepDurations.count++;
  }

  render(
    tasksByStatus: Record<string, number>,
    agentsByStatus: Record<string, number>,
    memory: Deno.MemoryUsage = Deno.memoryUsage(),
  ): string {
    const lines = [
      "# HELP process_resident_memory_bytes Resident memory of this process.",
      "# TYPE process_resident_memory_bytes gauge",
      `process_resident_memory_bytes ${memory.rss}`,
      "# HELP deno_heap_used_bytes JavaScript heap in use (live objects and not yet collected).",
      "# TYPE deno_heap_used_bytes gauge",
      `deno_heap_used_bytes ${memory.heapUsed}`,
      "# HELP deno_heap_total_bytes JavaScript heap reserved.",
      "# TYPE deno_heap_total_bytes gauge",
      `deno_heap_total_bytes ${memory.heapTotal}`,
      "# HELP orchestrator_tasks Tasks in the database by status.",
      "# TYPE orchestrator_tasks gauge",
      ...Object.entries(tasksByStatus).map(([s, n]) => `orchestrator_tasks{status="${s}"} ${n}`),
      "# HELP orchestrator_tasks_created_total Tasks accepted by this process.",
      "# TYPE orchestrator_tasks_created_total counter",
      `orchestrator_tasks_created_total ${this.tasksCreated}`,
      "# HELP orchestrator_agents Registered agents by status.",
      "# TYPE orchestrator_agents gauge",
      ...Object.entries(agentsByStatus).map(([s, n]) => `orchestrator_agents{status="${s}"} ${n}`),
      "# HELP orchestrator_agent_calls_total Agent calls by outcome.",
      "# TYPE orchestrator_agent_calls_total counter",
      ...[...this.agentCalls].map(([o, n]) =>
        `orchestrator_agent_calls_total{outcome="${o}"} ${n}`
      ),
      "# HELP orchestrator_step_duration_seconds Time from a step's start to its end.",
      "# TYPE orchestrator_step_duration_seconds histogram",
      ...DURATION_BUCKETS_S.map((le, i) =>
        `orchestrator_step_duration_seconds_bucket{le="${le}"} ${this.stepDurations.buckets[i]}`
      ),
      `orchestrator_step_duration_seconds_bucket{le="+Inf"} ${this.stepDurations.count}`,
      `orchestrator_step_duration_seconds_sum ${this.stepDurations.sum}`,
      `orchestrator_step_duration_seconds_count ${this.stepDurations.count}`,
    ];
    return lines.join("\n") + "\n";
  }
}
