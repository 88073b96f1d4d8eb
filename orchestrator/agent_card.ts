/**
 * Reads an A2A agent's card, for the registry (registering an agent, checking it is up): its
 * name, description and skills' capabilities.
 */
import { AgentCallError } from "./agent_errors.ts";
import { OutboundRefused } from "./outbound/guarded_fetch.ts";

export interface AgentCardInfo {
  name: string;
  description: string;
  capabilities: string[];
  version?: string;
  url: string;
}

/** agent-card.json, falling back to the older agent.json; `doFetch` is the guarded fetch. */
export async function fetchAgentCard(doFetch: typeof fetch, url: string): Promise<AgentCardInfo> {
  const base = url.replace(/\/+$/, "");
  let lastError = "";
  for (const path of ["/.well-known/agent-card.json", "/.well-known/agent.json"]) {
    try {
      const response = await doFetch(base + path, { signal: AbortSignal.timeout(5_000) });
      if (!response.ok) {
        lastError = `${path} answered HTTP ${response.status}`;
        await response.body?.cancel();
        continue;
      }
      const card = await response.json();
      const skills: { id?: string; tags?: string[] }[] = Array.isArray(card.skills)
        ? card.skills
        : [];
      const capabilities = [
        ...new Set(
          skills.flatMap((s) => [...(s.tags ?? []), ...(s.id ? [s.id] : [])])
            .map((c) => String(c).toLowerCase()),
        ),
      ];
      if (typeof card.name !== "string" || !card.name) throw new Error("the card has no name");
      return {
        name: card.name,
        description: typeof card.description === "string" ? card.description : "",
        capabilities,
        version: typeof card.version === "string" ? card.version : undefined,
        url: typeof card.url === "string" ? card.url : base,
      };
    } catch (error) {
      if (error instanceof OutboundRefused) throw error;
      lastError = error instanceof Error ? error.message : String(error);
    }
  }
  throw new AgentCallError(`no agent card at ${base}: ${lastError}`, "protocol", false);
}
