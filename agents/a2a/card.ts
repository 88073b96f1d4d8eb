/** The research agent's card (v1.0 as the SDK types it; lib/a2a shapes it for v0.3). */
import { A2A_PROTOCOL_VERSION, type AgentCard, type AgentSkill } from "@a2a-js/sdk";
import { duplicateInterfacesForLegacy } from "@a2a-js/sdk/compat/v0_3";
import { bearerSecurity } from "@app/lib/a2a";
import type { Capability } from "@app/lib/capabilities";

export const AGENT_NAME = "LangGraph Research Agent";
export const AGENT_VERSION = "1.0.0";
export const AGENT_DESCRIPTION =
  "Researches and analyses a task with a LangGraph graph (plan, gather, analyse, synthesise) " +
  "and answers with a report: summary, insights, findings, open questions and keywords.";

const MODES = ["text/plain", "application/json"];

/** The skills; their tags are the capabilities the orchestrator routes by. */
export const SKILLS: AgentSkill[] = [
  {
    id: "research",
    name: "Research",
    description: "Plans questions, gathers material from the message, its data and the " +
      "conversation, and reports what it says.",
    tags: ["research" satisfies Capability],
    examples: ["Research the state of solar power adoption in Europe."],
    inputModes: MODES,
    outputModes: MODES,
    securityRequirements: [],
  },
  {
    id: "analysis",
    name: "Analysis",
    description: "Analyses given text and previous results: themes, entities, figures, the " +
      "best-supported findings and what remains open.",
    tags: ["analysis" satisfies Capability],
    examples: ["Analyse these findings and list the main insights."],
    inputModes: MODES,
    outputModes: MODES,
    securityRequirements: [],
  },
];

export const CAPABILITIES = [...new Set(SKILLS.flatMap((s) => s.tags))];

/** The scheme the card declares when AGENT_API_KEY guards the agent. */
const BEARER_DESCRIPTION = "Authorization: Bearer <AGENT_API_KEY>, which the orchestrator sends";

/**
 * The v1.0 card. JSON-RPC lives at the public URL itself, in both protocol versions. With
 * `bearer`, the card declares that calls need a bearer token (the card itself stays public).
 */
export function buildAgentCard(publicUrl: string, options: { bearer?: boolean } = {}): AgentCard {
  const url = new URL(publicUrl).href;
  const bearer = options.bearer ?? false;
  return {
    name: AGENT_NAME,
    description: AGENT_DESCRIPTION,
    supportedInterfaces: duplicateInterfacesForLegacy([
      { url, protocolBinding: "JSONRPC", tenant: "", protocolVersion: A2A_PROTOCOL_VERSION },
    ], ["JSONRPC"]),
    provider: undefined,
    version: AGENT_VERSION,
    documentationUrl: new URL("/docs", url).href,
    capabilities: { streaming: true, pushNotifications: true, extensions: [] },
    ...bearerSecurity(bearer ? BEARER_DESCRIPTION : undefined),
    defaultInputModes: MODES,
    defaultOutputModes: MODES,
    skills: SKILLS,
    signatures: [],
  };
}
