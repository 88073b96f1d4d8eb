/**
 * Turns a request into a plan: with an LLM, structured output validated by zod and checked
 * against the registered agents; without one, or when the LLM's plan is invalid, the
 * deterministic planner. Each step is assigned the agent that will run it.
 */
import { z } from "zod";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { Agent } from "@app/db";
import type { Logger } from "@app/lib";
import { type DraftStep, draftSteps } from "./deterministic_planner.ts";
import {
  complexityOf,
  EXPECTED_OUTPUT,
  type Plan,
  type PlanStep,
  SECONDS_PER_STEP,
  topologicalOrder,
} from "./plan.ts";
import type { Capability } from "@app/lib/capabilities";

export interface PlanOutcome {
  plan: Plan;
  /** Why the LLM's plan was not used, when it was not. */
  fallbackReason?: string;
}

export interface Planner {
  plan(description: string, agents: Agent[]): Promise<PlanOutcome>;
}

const LlmPlanSchema = z.object({
  steps: z.array(z.object({
    description: z.string().min(1),
    capability: z.string().min(1),
    dependencies: z.array(z.number().int().positive()).default([]),
  })).min(1).max(12),
});

/** The agent a step should go to: an active one with the capability, else any with it. */
export function chooseAgent(capability: string, agents: Agent[]): Agent | undefined {
  const wanted = capability.toLowerCase();
  const able = agents.filter((a) => a.capabilities.some((c) => c.toLowerCase() === wanted));
  return able.find((a) => a.status === "active") ?? able[0];
}

export function capabilitiesOf(agents: Agent[]): Set<string> {
  return new Set(agents.flatMap((a) => a.capabilities.map((c) => c.toLowerCase())));
}

function toPlan(drafts: DraftStep[], agents: Agent[], planner: Plan["planner"]): Plan {
  const steps: PlanStep[] = drafts.map((draft) => {
    const agent = chooseAgent(draft.capability, agents);
    return {
      step_number: draft.step_number,
      description: draft.description,
      capability: draft.capability,
      agent_id: agent?.id ?? null,
      agent_name: agent?.name ?? null,
      dependencies: draft.dependencies,
      expected_output: EXPECTED_OUTPUT[draft.capability as Capability] ??
        `output of ${draft.capability}`,
    };
  });
  return {
    steps,
    complexity: complexityOf(steps.length),
    estimated_duration: steps.length * SECONDS_PER_STEP,
    planner,
  };
}

export function createPlanner(deps: { llm: BaseChatModel | null; logger: Logger }): Planner {
  const deterministic = (description: string, agents: Agent[]) =>
    toPlan(draftSteps(description, capabilitiesOf(agents)), agents, "deterministic");

  return {
    async plan(description, agents) {
      if (!deps.llm) return { plan: deterministic(description, agents) };
      try {
        const drafts = await planWithLlm(deps.llm, description, agents);
        return { plan: toPlan(drafts, agents, "llm") };
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        deps.logger.warn("LLM plan rejected; using the deterministic planner", { reason });
        return { plan: deterministic(description, agents), fallbackReason: reason };
      }
    },
  };
}

async function planWithLlm(
  llm: BaseChatModel,
  description: string,
  agents: Agent[],
): Promise<DraftStep[]> {
  const active = agents.filter((a) => a.status === "active");
  const available = capabilitiesOf(active.length ? active : agents);
  const roster = (active.length ? active : agents).map((a) =>
    `- ${a.name}: ${a.description || "no description"} (capabilities: ${a.capabilities.join(", ")})`
  ).join("\n");
  const structured = llm.withStructuredOutput(LlmPlanSchema, { name: "plan" });
  const raw = await structured.invoke([
    {
      role: "system",
      content:
        "You plan tasks for a multi-agent system. Split the user's request into the fewest " +
        "steps that each one agent can do. Use only these capabilities: " +
        `${[...available].join(", ")}.\nAgents:\n${roster}\n` +
        "Number steps from 1; `dependencies` lists the step numbers whose output a step needs. " +
        "Steps that do not need each other have no dependency between them, so they run in parallel.",
    },
    { role: "user", content: description },
  ]);
  const parsed = LlmPlanSchema.parse(raw);
  const drafts = parsed.steps.map((step, index) => ({
    step_number: index + 1,
    description: step.description,
    capability: step.capability.toLowerCase(),
    dependencies: [...new Set(step.dependencies)],
  }));
  for (const draft of drafts) {
    if (!available.has(draft.capability)) {
      throw new Error(`the LLM's plan uses capability "${draft.capability}", which no agent has`);
    }
  }
  topologicalOrder(drafts);
  return drafts;
}
