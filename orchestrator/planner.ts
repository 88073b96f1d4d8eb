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
import { withResearchFirst } from "./research_first.ts";
import { clip, requestMaterial } from "@app/lib/text";
import { withoutOfflineNotice } from "@app/lib/offline_notice";
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

/** One turn of the session's conversation, oldest first. */
export type Turn = { role: string; content: string };

export interface Planner {
  /** `history`: the session's recent turns, so a follow-up is planned on the earlier answer. */
  plan(description: string, agents: Agent[], history?: Turn[]): Promise<PlanOutcome>;
}

const LlmPlanSchema = z.object({
  steps: z.array(z.object({
    description: z.string().min(1),
    capability: z.string().min(1),
    dependencies: z.array(z.number().int().positive()).default([]),
    /** A tool's arguments, for a step whose capability is a tool. */
    input: z.record(z.string(), z.unknown()).optional(),
  })).min(1).max(12),
});

/**
 * The agent a step should go to: an active one with the capability, else any with it. With
 * `prefer`, an agent of that type comes first (numbers to analyse go to the agent that takes
 * data, a REST API agent).
 */
export function chooseAgent(
  capability: string,
  agents: Agent[],
  prefer?: Agent["agent_type"],
): Agent | undefined {
  const wanted = capability.toLowerCase();
  const able = agents.filter((a) => a.capabilities.some((c) => c.toLowerCase() === wanted));
  const active = able.filter((a) => a.status === "active");
  return active.find((a) => a.agent_type === prefer) ?? active[0] ?? able[0];
}

export function capabilitiesOf(agents: Agent[]): Set<string> {
  return new Set(agents.flatMap((a) => a.capabilities.map((c) => c.toLowerCase())));
}

function toPlan(
  drafts: DraftStep[],
  agents: Agent[],
  planner: Plan["planner"],
  description: string,
): Plan {
  const numbers = requestMaterial(description).numbers.length > 0;
  const steps: PlanStep[] = drafts.map((draft) => {
    const prefer = numbers && draft.capability === "analysis" ? "api" : undefined;
    const agent = chooseAgent(draft.capability, agents, prefer);
    return {
      step_number: draft.step_number,
      description: draft.description,
      capability: draft.capability,
      agent_id: agent?.id ?? null,
      agent_name: agent?.name ?? null,
      dependencies: draft.dependencies,
      expected_output: EXPECTED_OUTPUT[draft.capability as Capability] ??
        `output of ${draft.capability}`,
      ...(draft.input && { input: draft.input }),
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
  const deterministic = (description: string, agents: Agent[], history: Turn[]) => {
    const available = capabilitiesOf(agents);
    const drafts = draftSteps(description, available);
    return toPlan(
      withResearchFirst(drafts, { description, history, available }),
      agents,
      "deterministic",
      description,
    );
  };

  return {
    async plan(description, agents, history = []) {
      if (!deps.llm) return { plan: deterministic(description, agents, history) };
      try {
        const drafts = await planWithLlm(deps.llm, description, agents, history);
        const available = capabilitiesOf(agents);
        return {
          plan: toPlan(
            withResearchFirst(drafts, { description, history, available }),
            agents,
            "llm",
            description,
          ),
        };
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        deps.logger.warn("LLM plan rejected; using the deterministic planner", { reason });
        return { plan: deterministic(description, agents, history), fallbackReason: reason };
      }
    },
  };
}

async function planWithLlm(
  llm: BaseChatModel,
  description: string,
  agents: Agent[],
  history: Turn[],
): Promise<DraftStep[]> {
  const active = agents.filter((a) => a.status === "active");
  const available = capabilitiesOf(active.length ? active : agents);
  const roster = (active.length ? active : agents).map((a) =>
    `- ${a.name}: ${a.description || "no description"} (capabilities: ${
      a.capabilities.join(", ")
    })${toolsPrompt(a)}`
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
        "Steps that do not need each other have no dependency between them, so they run in parallel." +
        conversationPrompt(history),
    },
    { role: "user", content: description },
  ]);
  const parsed = LlmPlanSchema.parse(raw);
  const drafts = parsed.steps.map((step, index) => ({
    step_number: index + 1,
    description: step.description,
    capability: step.capability.toLowerCase(),
    dependencies: [...new Set(step.dependencies)],
    ...(step.input && { input: step.input }),
  }));
  for (const draft of drafts) {
    if (!available.has(draft.capability)) {
      throw new Error(`the LLM's plan uses capability "${draft.capability}", which no agent has`);
    }
  }
  topologicalOrder(drafts);
  return drafts;
}

/** An MCP agent's tools with their input schemas: a step using one gives its `input`. */
function toolsPrompt(agent: Agent): string {
  const tools = agent.agent_type === "mcp" && Array.isArray(agent.config.tools)
    ? agent.config.tools as { name?: string; input_schema?: unknown }[]
    : [];
  if (!tools.length) return "";
  return "\n  Its capabilities are tools; a step using one sets `input` to the tool's arguments:" +
    tools.map((t) => `\n  - ${t.name}: ${clip(JSON.stringify(t.input_schema ?? {}), 600)}`)
      .join("");
}

/** The session's recent turns for the planner's prompt, and how to use them. */
function conversationPrompt(history: Turn[]): string {
  // The newest turn is this request itself.
  const earlier = history.slice(0, -1).slice(-6);
  if (!earlier.length) return "";
  const turns = earlier.map((t) => `${t.role}: ${clip(withoutOfflineNotice(t.content), 400)}`)
    .join("\n");
  return "\n\nThe conversation so far:\n" + turns + '\nIf the request refers to it ("that", ' +
    '"the above", "it"), its first steps work on the last answer, which they will be ' +
    "given; a request that does not refer to it is planned on its own.";
}
