/**
 * Tokens an LLM server reported, gathered per unit of work. `meterUsage(work)` runs `work` with
 * a meter that every LLM call made inside it (however deep, through async continuations) adds
 * its reported usage to, so the planner, the A2A agent's graph and the API agent's operations
 * learn what they spent without passing a collector down. The agents send it with their answer
 * as `usage` (`toWireUsage`); the orchestrator reads it back with `parseWireUsage`.
 */
import { AsyncLocalStorage } from "node:async_hooks";

/** One LLM call's reported usage (or several calls' of one model, summed). */
export interface UsageRecord {
  model: string;
  input_tokens: number;
  output_tokens: number;
}

const meters = new AsyncLocalStorage<UsageRecord[]>();

/** Runs `work`, gathering the usage of every LLM call it makes (nested meters see it too). */
export async function meterUsage<T>(
  work: () => Promise<T>,
): Promise<{ value: T; usage: UsageRecord[] }> {
  const outer = meters.getStore();
  const usage: UsageRecord[] = [];
  const value = await meters.run(usage, work);
  // A meter inside another (a retried operation inside a request's meter) counts for both.
  outer?.push(...usage);
  return { value, usage };
}

/** Adds one call's usage to the meter in force, if any. */
export function recordUsage(record: UsageRecord): void {
  meters.getStore()?.push(record);
}

/** The records of one model each, in the order the models were first used. */
export function byModel(records: readonly UsageRecord[]): UsageRecord[] {
  const models = new Map<string, UsageRecord>();
  for (const r of records) {
    const seen = models.get(r.model);
    if (seen) {
      seen.input_tokens += r.input_tokens;
      seen.output_tokens += r.output_tokens;
    } else models.set(r.model, { ...r });
  }
  return [...models.values()];
}

/**
 * What an agent sends beside its answer: the totals and the model, and `by_model` when it used
 * more than one, so the orchestrator can price each.
 */
export function toWireUsage(records: readonly UsageRecord[]): Record<string, unknown> | undefined {
  if (!records.length) return undefined;
  const models = byModel(records);
  const input = models.reduce((n, r) => n + r.input_tokens, 0);
  const output = models.reduce((n, r) => n + r.output_tokens, 0);
  return {
    input_tokens: input,
    output_tokens: output,
    total_tokens: input + output,
    model: models.map((r) => r.model).join(","),
    ...(models.length > 1 && { by_model: models }),
  };
}

const count = (value: unknown) =>
  typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : undefined;

/**
 * An agent's `usage` as records, or [] when it sent none or something unreadable (an agent's
 * bad usage must not fail its step). Accepts `{input_tokens, output_tokens, model}` with an
 * optional `by_model` list, or such a list itself.
 */
export function parseWireUsage(value: unknown): UsageRecord[] {
  if (Array.isArray(value)) return value.flatMap(parseWireUsage);
  if (!value || typeof value !== "object") return [];
  const usage = value as Record<string, unknown>;
  if (Array.isArray(usage.by_model)) return usage.by_model.flatMap(parseWireUsage);
  const input = count(usage.input_tokens) ?? count(usage.prompt_tokens);
  const output = count(usage.output_tokens) ?? count(usage.completion_tokens);
  if (input === undefined && output === undefined) return [];
  const model = typeof usage.model === "string" && usage.model.trim()
    ? usage.model.trim().slice(0, 200)
    : "unknown";
  return [{ model, input_tokens: input ?? 0, output_tokens: output ?? 0 }];
}
