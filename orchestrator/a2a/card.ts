/**
 * The orchestrator's own agent card: a general "orchestrate" skill and one skill per capability
 * of its active agents (built from the agent list each time, so it follows them), JSON-RPC at
 * `/a2a` in v1.0 and v0.3, and the bearer scheme when the API needs a key.
 */
import { A2A_PROTOCOL_VERSION, type AgentCard, type AgentSkill } from "@a2a-js/sdk";
import { duplicateInterfacesForLegacy } from "@a2a-js/sdk/compat/v0_3";
import type { Agent } from "@app/db";
import { bearerSecurity } from "@app/lib/a2a";

export const ORCHESTRATOR_AGENT_NAME = "Multi-agent orchestrator";
export const A2A_PATH = "/a2a";
const MODES = ["text/plain", "application/json"];
const BEARER_DESCRIPTION = "Authorization: Bearer <API key or token>, as for the REST API";

const ORCHESTRATE: AgentSkill = {
  id: "orchestrate",
  name: "Orchestrate",
  description: "Plans a request in plain language into steps, runs each on the agent with the " +
    "capability it needs, and answers with the summary and every step's output. A message in " +
    "the same context continues the conversation.",
  tags: ["orchestrate"],
  examples: ["Research solar power adoption in Europe and summarize the findings."],
  inputModes: ["text/plain"],
  outputModes: MODES,
  securityRequirements: [],
};

function capabilitySkills(agents: Agent[]): AgentSkill[] {
  const active = agents.filter((a) => a.status === "active");
  const byCapability = new Map<string, string[]>();
  for (const agent of active) {
    for (const capability of agent.capabilities) {
      const key = capability.toLowerCase();
      byCapability.set(key, [...(byCapability.get(key) ?? []), agent.name]);
    }
  }
  return [...byCapability.entries()].sort(([a], [b]) => a.localeCompare(b)).map((
    [capability, names],
  ) => ({
    id: capability,
    name: capability,
    description: `Steps that need ${capability}, run on ${names.join(", ")}.`,
    tags: [capability],
    examples: [],
    inputModes: ["text/plain"],
    outputModes: MODES,
    securityRequirements: [],
  }));
}

export function buildOrchestratorCard(
  publicUrl: string,
  agents: Agent[],
  options: { bearer: boolean; pushNotifications?: boolean },
): AgentCard {
  const url = new URL(A2A_PATH, publicUrl).href;
  return {
    name: ORCHESTRATOR_AGENT_NAME,
    description: "Plans tasks into steps and runs them on its registered agents " +
      "(A2A agents, REST agents and MCP tools). The task is the same one its REST API and UI show.",
    supportedInterfaces: duplicateInterfacesForLegacy([
      { url, protocolBinding: "JSONRPC", tenant: "", protocolVersion: A2A_PROTOCOL_VERSION },
    ], ["JSONRPC"]),
    provider: undefined,
    version: "1.0.0",
    documentationUrl: new URL("/docs", publicUrl).href,
    capabilities: {
      streaming: true,
      pushNotifications: options.pushNotifications ?? false,
      extensions: [],
    },
    ...bearerSecurity(options.bearer ? BEARER_DESCRIPTION : undefined),
    defaultInputModes: ["text/plain"],
    defaultOutputModes: MODES,
    skills: [ORCHESTRATE, ...capabilitySkills(agents)],
    signatures: [],
  };
}
