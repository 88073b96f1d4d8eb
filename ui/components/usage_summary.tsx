/** Tokens and cost of a step, a task or a session, in one line ("1,234 tokens · $0.0012"). */
import type { UsageTotals } from "../types.ts";

/** Dollars with the digits a small amount needs ($0.0012, $1.25); "$0" for free models. */
export function formatCost(usd: number): string {
  if (usd === 0) return "$0";
  if (usd >= 0.01) return `$${usd.toFixed(2)}`;
  return `$${usd.toPrecision(2)}`;
}

export function formatUsage(usage: UsageTotals): string {
  const tokens = `${usage.total_tokens.toLocaleString("en-US")} tokens`;
  // A model with no known price: its tokens count, its cost is not guessed.
  return usage.cost_usd === null
    ? `${tokens} · cost unknown`
    : `${tokens} · ${formatCost(usage.cost_usd)}`;
}

/** Nothing when there is no LLM usage (offline, or not run yet). */
export function UsageSummary(
  { usage, label }: { usage: UsageTotals | null | undefined; label?: string },
) {
  if (!usage || usage.total_tokens === 0) return null;
  const title = `${usage.input_tokens.toLocaleString("en-US")} in, ` +
    `${usage.output_tokens.toLocaleString("en-US")} out`;
  return (
    <span class="usage" title={title}>
      {label && <>{label}{" "}</>}
      {formatUsage(usage)}
    </span>
  );
}
