/**
 * A task's usage rows as the API shows them: per step, the planning, and the task's total (the
 * exact sum of its rows), with its budget and trace.
 */
import type { TaskContext, UsageRow } from "@app/db";
import type { TaskUsage, Usage } from "@app/lib/api_contract";

/** Rows as one usage: tokens summed, models named, cost summed over priced rows. */
export function usageOf(rows: readonly UsageRow[]): Usage | null {
  if (!rows.length) return null;
  let input = 0, output = 0;
  let cost: number | null = null;
  const models: string[] = [];
  for (const r of rows) {
    input += r.input_tokens;
    output += r.output_tokens;
    if (r.cost_usd !== null) cost = (cost ?? 0) + r.cost_usd;
    if (!models.includes(r.model)) models.push(r.model);
  }
  return {
    input_tokens: input,
    output_tokens: output,
    total_tokens: input + output,
    model: models.join(","),
    cost_usd: cost,
  };
}

/** A step's usage, or null when it caused no reported LLM work. */
export function stepUsage(rows: readonly UsageRow[], stepNumber: number): Usage | null {
  return usageOf(rows.filter((r) => r.step_number === stepNumber));
}

/** The task's total (steps and planning) and its planning alone. */
export function taskUsage(rows: readonly UsageRow[]): TaskUsage {
  const total = usageOf(rows);
  return {
    input_tokens: total?.input_tokens ?? 0,
    output_tokens: total?.output_tokens ?? 0,
    total_tokens: total?.total_tokens ?? 0,
    cost_usd: total?.cost_usd ?? null,
    planning: usageOf(rows.filter((r) => r.step_number === null)),
  };
}

/** The trace id inside a stored `traceparent`, and its link when a template is set. */
export function traceOf(context: TaskContext, template?: string) {
  const traceId = context.traceparent?.split("-")[1] ?? null;
  return {
    trace_id: traceId,
    trace_url: traceId && template ? template.replaceAll("{trace_id}", traceId) : null,
  };
}
