/** The shape of a plan, shared by both planners, the executor and the API. */
import { z } from "zod";

export const PlanStepSchema = z.object({
  step_number: z.number().int().positive(),
  description: z.string().min(1),
  capability: z.string().min(1),
  agent_id: z.number().int().nullable(),
  agent_name: z.string().nullable(),
  dependencies: z.array(z.number().int().positive()),
  expected_output: z.string(),
});
export type PlanStep = z.infer<typeof PlanStepSchema>;

export const PlanSchema = z.object({
  steps: z.array(PlanStepSchema).min(1),
  complexity: z.enum(["low", "medium", "high"]),
  estimated_duration: z.number().int().nonnegative(),
  planner: z.enum(["deterministic", "llm"]),
});
export type Plan = z.infer<typeof PlanSchema>;

export const EXPECTED_OUTPUT: Record<string, string> = {
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
