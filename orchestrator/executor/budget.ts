/**
 * A task's budget (`POST /api/tasks` `budget`, or DEFAULT_TASK_BUDGET_TOKENS): after each
 * finished step the task's spent usage (steps and planning, as recorded) is compared with it;
 * past it, the run starts nothing more and fails the task with `budget.exceeded`.
 */
import type { Kysely } from "kysely";
import { type Database, taskUsageTotals, type UsageTotals } from "@app/db";
import { type NewTaskEvent, taskEvent } from "@app/lib";

export interface Budget {
  max_tokens?: number;
  max_cost_usd?: number;
}

export interface BudgetStop {
  step_number: number | null;
  budget: Budget;
  spent: UsageTotals;
  error: string;
}

/** Why `spent` is over `budget`, or undefined when it is within it. */
export function overBudget(budget: Budget, spent: UsageTotals): string | undefined {
  if (budget.max_tokens !== undefined && spent.total_tokens > budget.max_tokens) {
    return `budget exceeded: ${spent.total_tokens} tokens spent, the budget is ` +
      `${budget.max_tokens}`;
  }
  if (budget.max_cost_usd !== undefined && (spent.cost_usd ?? 0) > budget.max_cost_usd) {
    return `budget exceeded: $${spent.cost_usd} spent, the budget is $${budget.max_cost_usd}`;
  }
  return undefined;
}

/** Reads what the task has spent; a stop when that is over its budget. */
export async function checkBudget(
  db: Kysely<Database>,
  taskId: number,
  budget: Budget,
  stepNumber: number | null,
): Promise<BudgetStop | undefined> {
  const spent = await taskUsageTotals(db, taskId);
  const error = overBudget(budget, spent);
  return error ? { step_number: stepNumber, budget, spent, error } : undefined;
}

export function budgetStopEvent(stop: BudgetStop): NewTaskEvent {
  return taskEvent("budget.exceeded", {
    step_number: stop.step_number,
    budget: stop.budget,
    spent: stop.spent,
  });
}
