/** Reported LLM usage as the rows the lifecycle records: one per model, priced now. */
import type { UsageRow } from "@app/db";
import { costOf, type PriceTable } from "@app/lib/prices";
import { byModel, type UsageRecord } from "@app/lib/usage";

export function usageRows(
  prices: PriceTable,
  records: readonly UsageRecord[],
  where: { step_number: number | null; agent: { id: number; name: string } | null },
): UsageRow[] {
  return byModel(records).map((r) => ({
    step_number: where.step_number,
    agent_id: where.agent?.id ?? null,
    agent_name: where.agent?.name ?? null,
    model: r.model,
    input_tokens: r.input_tokens,
    output_tokens: r.output_tokens,
    cost_usd: costOf(prices, r),
  }));
}
