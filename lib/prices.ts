/**
 * What a model's tokens cost, in US dollars per million tokens: defaults for the models the
 * README names, overridden or extended by `LLM_PRICES` (JSON, the same shape). A model with no
 * price counts its tokens with `cost_usd: null`.
 */
import { z } from "zod";
import type { UsageRecord } from "./usage.ts";

export interface ModelPrice {
  /** USD per million input (prompt) tokens. */
  input: number;
  /** USD per million output (completion) tokens. */
  output: number;
}

export type PriceTable = Record<string, ModelPrice>;

/** List prices when written (per million tokens); a local server's model costs nothing. */
export const DEFAULT_PRICES: PriceTable = {
  "gpt-4o-mini": { input: 0.15, output: 0.6 },
  "gpt-4o": { input: 2.5, output: 10 },
  "gpt-4.1-mini": { input: 0.4, output: 1.6 },
  "gpt-4.1": { input: 2, output: 8 },
  "llama-3.1-8b-instant": { input: 0.05, output: 0.08 },
  "llama-3.3-70b-versatile": { input: 0.59, output: 0.79 },
  "llama3.1": { input: 0, output: 0 },
};

const price = z.number().nonnegative().finite();
export const PriceTableSchema = z.record(
  z.string().min(1),
  z.object({ input: price, output: price }).strict(),
);

/** `LLM_PRICES` over the defaults; throws naming what is wrong. */
export function parsePrices(json: string | undefined): PriceTable {
  if (!json?.trim()) return { ...DEFAULT_PRICES };
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new Error('LLM_PRICES is not JSON: expected {"model": {"input": 0.15, "output": 0.6}}');
  }
  const parsed = PriceTableSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `LLM_PRICES: ${issue.path.join(".") || "(top)"}: ${issue.message} ` +
        '(expected {"model": {"input": USD per 1M tokens, "output": USD per 1M tokens}})',
    );
  }
  return { ...DEFAULT_PRICES, ...parsed.data };
}

/**
 * The price of `model`: its own entry, else the longest entry it extends with a dated or
 * versioned suffix (servers answer "gpt-4o-mini-2024-07-18" for "gpt-4o-mini").
 */
export function priceOf(prices: PriceTable, model: string): ModelPrice | undefined {
  if (prices[model]) return prices[model];
  let best: string | undefined;
  for (const name of Object.keys(prices)) {
    if (model.startsWith(name + "-") && (!best || name.length > best.length)) best = name;
  }
  return best ? prices[best] : undefined;
}

/** USD for one record, or null when its model has no price. */
export function costOf(prices: PriceTable, record: UsageRecord): number | null {
  const p = priceOf(prices, record.model);
  if (!p) return null;
  return (record.input_tokens * p.input + record.output_tokens * p.output) / 1_000_000;
}
