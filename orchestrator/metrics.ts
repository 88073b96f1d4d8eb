/**
 * The orchestrator's metrics (prom-client), rendered by GET /metrics: what this process did
 * (agent calls and their durations, steps, planning, lease takeovers, tokens and dollars by
 * agent and model) and, read from the database at each scrape, tasks by status, agents by
 * status and the queue's depth.
 */
import { Counter, Gauge, Histogram } from "prom-client";
import type { UsageRow } from "@app/db";
import { DURATION_BUCKETS_S, ServiceMetrics } from "@app/lib/prometheus";

export type AgentCallOutcome = "success" | "failure" | "retry" | "timeout" | "fallback";

/** Read from the database when scraped. */
export interface ScrapeState {
  tasksByStatus: Record<string, number>;
  agentsByStatus: Record<string, number>;
  /** Tasks waiting for a worker (pending, no lease). */
  queueDepth: number;
}

export class Metrics {
  readonly service = new ServiceMetrics("orchestrator");
  readonly #registers = [this.service.registry];
  readonly #agentCalls = new Counter({
    name: "orchestrator_agent_calls_total",
    help: "Agent calls by outcome.",
    labelNames: ["outcome"],
    registers: this.#registers,
  });
  readonly #agentCallSeconds = new Histogram({
    name: "orchestrator_agent_call_duration_seconds",
    help: "One call to an agent, by agent and outcome.",
    labelNames: ["agent", "outcome"],
    buckets: DURATION_BUCKETS_S,
    registers: this.#registers,
  });
  readonly #stepSeconds = new Histogram({
    name: "orchestrator_step_duration_seconds",
    help: "Time from a step's start to its end.",
    buckets: DURATION_BUCKETS_S,
    registers: this.#registers,
  });
  readonly #planningSeconds = new Histogram({
    name: "orchestrator_planning_duration_seconds",
    help: "Planning one task, by planner (llm or deterministic).",
    labelNames: ["planner"],
    buckets: DURATION_BUCKETS_S,
    registers: this.#registers,
  });
  readonly #tasksCreated = new Counter({
    name: "orchestrator_tasks_created_total",
    help: "Tasks accepted by this process.",
    registers: this.#registers,
  });
  readonly #takeovers = new Counter({
    name: "orchestrator_lease_takeovers_total",
    help: "Tasks this process took over after their owner's lease expired.",
    registers: this.#registers,
  });
  readonly #tokens = new Counter({
    name: "orchestrator_llm_tokens_total",
    help: "Tokens LLM servers reported, by agent (planner: the orchestrator's own), model and " +
      "direction (input or output).",
    labelNames: ["agent", "model", "direction"],
    registers: this.#registers,
  });
  readonly #cost = new Counter({
    name: "orchestrator_llm_cost_usd_total",
    help: "What those tokens cost, by agent and model (models without a price count nothing).",
    labelNames: ["agent", "model"],
    registers: this.#registers,
  });
  readonly #tasks = new Gauge({
    name: "orchestrator_tasks",
    help: "Tasks in the database by status.",
    labelNames: ["status"],
    registers: this.#registers,
  });
  readonly #agents = new Gauge({
    name: "orchestrator_agents",
    help: "Registered agents by status.",
    labelNames: ["status"],
    registers: this.#registers,
  });
  readonly #queueDepth = new Gauge({
    name: "orchestrator_queue_depth",
    help: "Tasks waiting for a worker (pending, leased to nobody).",
    registers: this.#registers,
  });

  agentCall(outcome: AgentCallOutcome): void {
    this.#agentCalls.inc({ outcome });
  }

  agentCallDuration(agent: string, outcome: AgentCallOutcome, seconds: number): void {
    this.#agentCallSeconds.observe({ agent, outcome }, seconds);
  }

  stepDuration(seconds: number): void {
    this.#stepSeconds.observe(seconds);
  }

  planningDuration(planner: string, seconds: number): void {
    this.#planningSeconds.observe({ planner }, seconds);
  }

  taskCreated(): void {
    this.#tasksCreated.inc();
  }

  leaseTakeovers(count: number): void {
    if (count) this.#takeovers.inc(count);
  }

  usage(rows: readonly UsageRow[]): void {
    for (const r of rows) {
      const agent = r.agent_name ?? "planner";
      this.#tokens.inc({ agent, model: r.model, direction: "input" }, r.input_tokens);
      this.#tokens.inc({ agent, model: r.model, direction: "output" }, r.output_tokens);
      this.#cost.inc({ agent, model: r.model }, r.cost_usd ?? 0);
    }
  }

  /** The text of GET /metrics, with the database's figures of this moment. */
  render(state: ScrapeState): Promise<string> {
    this.#tasks.reset();
    for (const [status, n] of Object.entries(state.tasksByStatus)) this.#tasks.set({ status }, n);
    this.#agents.reset();
    for (const [status, n] of Object.entries(state.agentsByStatus)) {
      this.#agents.set({ status }, n);
    }
    this.#queueDepth.set(state.queueDepth);
    return this.service.text();
  }
}
