/**
 * The agent card: v1.0 as the SDK types it, and the v0.3 shape older clients read (the SDK's own
 * converter is not exported, so this mirrors it for the fields this card uses).
 */
import {
  A2A_PROTOCOL_VERSION,
  type AgentCard,
  type AgentSkill,
  SecurityRequirement,
  SecurityScheme,
} from "@a2a-js/sdk";
import { A2A_LEGACY_PROTOCOL_VERSION, duplicateInterfacesForLegacy } from "@a2a-js/sdk/compat/v0_3";
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
    capabilities: { streaming: true, pushNotifications: false, extensions: [] },
    securitySchemes: bearer
      ? {
        bearer: {
          scheme: {
            $case: "httpAuthSecurityScheme",
            value: { description: BEARER_DESCRIPTION, scheme: "Bearer", bearerFormat: "" },
          },
        },
      }
      : {},
    securityRequirements: bearer ? [{ schemes: { bearer: { list: [] } } }] : [],
    defaultInputModes: MODES,
    defaultOutputModes: MODES,
    skills: SKILLS,
    signatures: [],
  };
}

/** The v0.3 card: top-level `url`, `preferredTransport` and `protocolVersion`, with the v1.0
 * interfaces embedded as the SDK's compat layer does. */
export function toLegacyCard(card: AgentCard): Record<string, unknown> {
  const legacy = card.supportedInterfaces.filter((i) =>
    i.protocolVersion === A2A_LEGACY_PROTOCOL_VERSION
  );
  const [primary, ...others] = legacy;
  if (!primary) throw new Error("the agent card declares no v0.3 interface");
  return {
    name: card.name,
    description: card.description,
    version: card.version,
    url: primary.url,
    preferredTransport: primary.protocolBinding,
    protocolVersion: A2A_LEGACY_PROTOCOL_VERSION,
    capabilities: {
      streaming: card.capabilities?.streaming,
      pushNotifications: card.capabilities?.pushNotifications,
    },
    defaultInputModes: [...card.defaultInputModes],
    defaultOutputModes: [...card.defaultOutputModes],
    skills: card.skills.map((s) => ({
      id: s.id,
      name: s.name,
      description: s.description,
      tags: [...s.tags],
      ...(s.examples.length && { examples: [...s.examples] }),
      ...(s.inputModes.length && { inputModes: [...s.inputModes] }),
      ...(s.outputModes.length && { outputModes: [...s.outputModes] }),
    })),
    ...(others.length &&
      { additionalInterfaces: others.map((i) => ({ url: i.url, transport: i.protocolBinding })) }),
    ...(card.documentationUrl && { documentationUrl: card.documentationUrl }),
    ...(card.securityRequirements.length && {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: BEARER_DESCRIPTION },
      },
      security: [{ bearer: [] }],
    }),
    supportedInterfaces: structuredClone(card.supportedInterfaces),
  };
}

/** The v1.0 card as JSON: its security entries in their protocol JSON form. */
export function cardJson(card: AgentCard): Record<string, unknown> {
  return {
    ...card,
    securitySchemes: Object.fromEntries(
      Object.entries(card.securitySchemes).map(([name, scheme]) => [
        name,
        SecurityScheme.toJSON(scheme),
      ]),
    ),
    securityRequirements: card.securityRequirements.map((r) => SecurityRequirement.toJSON(r)),
  };
}
