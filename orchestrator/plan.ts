/** Plans: what both planners, the executor and the API share about them. */
import type { Plan } from "@app/lib/api_contract";
import type { Capability } from "@app/lib/capabilities";

/** The API's contract defines the plan: `POST /api/tasks` returns it as the planner made it. */
export type { Plan, PlanStep } from "@app/lib/api_contract";

export const EXPECTED_OUTPUT: Readonly<Record<Capability, string>> = {
  research: "findings and sources gathered on the topic",
  analysis: "analysis with key statistics and insights",
  summarization: "a concise summary",
  extraction: "keywords, names, numbers and dates found in the input",
};

/** Rough seconds per step, for the plan's estimate. */
export const SECONDS_PER_STEP = 15;

export function complexityOf(stepCount: number): Plan["complexity"] {
  return stepCount <= 1 ? "low" : stepCount <= 3 ? "medium" : "high";
}

/** Step numbers in an order where every step comes after its dependencies; throws on a loop. */
export function topologicalOrder(steps: { step_number: number; dependencies: number[] }[]) {
  const numbers = new Set(steps.map((s) => s.step_number));
  const byNumber = new Map(steps.map((s) => [s.step_number, s]));
  const order: number[] = [];
  const state = new Map<number, "visiting" | "done">();
  const visit = (n: number, path: number[]) => {
    if (state.get(n) === "done") return;
    if (state.get(n) === "visiting") {
      throw new Error(`plan dependencies loop: ${[...path, n].join(" -> ")}`);
    }
    state.set(n, "visiting");
    for (const dep of byNumber.get(n)!.dependencies) {
      if (!numbers.has(dep)) throw new Error(`step ${n} depends on unknown step ${dep}`);
      visit(dep, [...path, n]);
    }
    state.set(n, "done");
    order.push(n);
  };
  for (const s of steps) visit(s.step_number, []);
  return order;
}
