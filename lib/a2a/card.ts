/**
 * Agent card shapes shared by every A2A server here: the bearer scheme a card declares, the v1.0
 * card as JSON, and the v0.3 shape older clients read (the SDK's own converter is not exported,
 * so this mirrors it for the fields these cards use).
 */
import { type AgentCard, SecurityRequirement, SecurityScheme } from "@a2a-js/sdk";
import { A2A_LEGACY_PROTOCOL_VERSION } from "@a2a-js/sdk/compat/v0_3";

/** The card's security entries: a bearer token described as given, or none. */
export function bearerSecurity(
  description: string | undefined,
): Pick<AgentCard, "securitySchemes" | "securityRequirements"> {
  if (description === undefined) return { securitySchemes: {}, securityRequirements: [] };
  return {
    securitySchemes: {
      bearer: {
        scheme: {
          $case: "httpAuthSecurityScheme",
          value: { description, scheme: "Bearer", bearerFormat: "" },
        },
      },
    },
    securityRequirements: [{ schemes: { bearer: { list: [] } } }],
  };
}

function bearerDescriptionOf(card: AgentCard): string {
  const scheme = card.securitySchemes.bearer?.scheme;
  return scheme?.$case === "httpAuthSecurityScheme" ? scheme.value.description : "";
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
        bearer: { type: "http", scheme: "bearer", description: bearerDescriptionOf(card) },
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
