/**
 * A plan a person edited before approving it, checked as an LLM's plan is: known capabilities
 * and agents, dependencies on steps that exist, no loops. A bad one is a 422 naming the field
 * (`plan.steps[2].agent_id`); a good one comes back as a plan, its steps numbered 1..n in the
 * order given (dependencies follow their steps).
 */
import { z } from "@hono/zod-openapi";
import type { Agent, PlannedStep } from "@app/db";
import { unprocessable } from "@app/lib";
import type { Capability } from "@app/lib/capabilities";
import { chooseAgent } from "./planner.ts";
import {
  complexityOf,
  EXPECTED_OUTPUT,
  type Plan,
  type PlanStep,
  SECONDS_PER_STEP,
  topologicalOrder,
} from "./plan.ts";

const text = (max: number) =>
  z.string().max(max).refine((s) => !s.includes("\u0000"), "must not contain NUL characters");

export const EditedPlanStep = z.object({
  step_number: z.number().int().positive().optional().openapi({
    description: "the number dependencies refer to (default: its position, from 1)",
  }),
  description: text(5_000).trim().min(1, "must not be empty"),
  capability: text(100).trim().min(1).optional().openapi({
    description: "default: the chosen agent's first capability",
  }),
  agent_id: z.number().int().positive().nullable().optional().openapi({
    description: "default: an active agent with the capability",
  }),
  dependencies: z.array(z.number().int().positive()).max(50).default([]),
});

export const EditedPlan = z.object({
  steps: z.array(EditedPlanStep).min(1, "a plan needs a step").max(50),
}).openapi("EditedPlan");

export type EditedPlan = z.infer<typeof EditedPlan>;

/** The edited plan as the task will run it, or a 422 naming the offending field. */
export function checkEditedPlan(
  edited: EditedPlan,
  agents: Agent[],
  planner: Plan["planner"],
): { plan: Plan; steps: PlannedStep[] } {
  const field = (i: number, name: string) => `plan.steps[${i}].${name}`;
  // The numbers the person used, to their new positions.
  const renumber = new Map<number, number>();
  edited.steps.forEach((step, i) => {
    const given = step.step_number ?? i + 1;
    if (renumber.has(given)) {
      throw unprocessable(field(i, "step_number"), `step number ${given} is used twice`);
    }
    renumber.set(given, i + 1);
  });
  const steps: PlanStep[] = edited.steps.map((step, i) => {
    let agent: Agent | undefined;
    if (step.agent_id != null) {
      agent = agents.find((a) => a.id === step.agent_id);
      if (!agent) {
        throw unprocessable(field(i, "agent_id"), `no agent with id ${step.agent_id}`);
      }
    }
    const capability = (step.capability ?? agent?.capabilities[0])?.toLowerCase();
    if (!capability) throw unprocessable(field(i, "capability"), "give a capability or an agent");
    if (agent && !agent.capabilities.some((c) => c.toLowerCase() === capability)) {
      throw unprocessable(
        field(i, "agent_id"),
        `agent ${agent.name} does not have the capability "${capability}"`,
      );
    }
    agent ??= chooseAgent(capability, agents);
    if (!agent) {
      throw unprocessable(field(i, "capability"), `no agent has the capability "${capability}"`);
    }
    const dependencies = [...new Set(step.dependencies)].map((d) => {
      const to = renumber.get(d);
      if (to === undefined) {
        throw unprocessable(field(i, "dependencies"), `step ${d} is not in the plan`);
      }
      return to;
    });
    return {
      step_number: i + 1,
      description: step.description,
      capability,
      agent_id: agent.id,
      agent_name: agent.name,
      dependencies,
      expected_output: EXPECTED_OUTPUT[capability as Capability] ?? `output of ${capability}`,
    };
  });
  try {
    topologicalOrder(steps);
  } catch (error) {
    throw unprocessable("plan.steps", error instanceof Error ? error.message : String(error));
  }
  const plan: Plan = {
    steps,
    complexity: complexityOf(steps.length),
    estimated_duration: steps.length * SECONDS_PER_STEP,
    planner,
  };
  return { plan, steps };
}
