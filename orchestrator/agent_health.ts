/**
 * Health pings, for the registry: an MCP agent's ping, an API agent's `/health`, an A2A
 * agent's card. Quick, and never throwing: an unreachable agent is `ok: false` with the reason.
 */
import type { Agent } from "@app/db";
import { fetchAgentCard } from "./agent_card.ts";
import { pingMcp } from "./mcp/tool_client.ts";

/**
 * `doFetch` is the guarded fetch; `agentFetchFor` adds a registered agent's credential (the
 * registry checks registered agents, which have an id).
 */
export async function checkAgentHealth(
  agent: Pick<Agent, "agent_type" | "endpoint">,
  doFetch: typeof fetch,
  agentFetchFor: (agentId: number) => typeof fetch,
): Promise<{ ok: boolean; error?: string }> {
  try {
    if (agent.agent_type === "mcp") {
      const id = (agent as Partial<Agent>).id;
      await pingMcp(agent.endpoint, id === undefined ? doFetch : agentFetchFor(id));
      return { ok: true };
    }
    if (agent.agent_type === "api") {
      const response = await doFetch(new URL("/health", agent.endpoint), {
        signal: AbortSignal.timeout(5_000),
      });
      await response.body?.cancel();
      return response.ok ? { ok: true } : { ok: false, error: `HTTP ${response.status}` };
    }
    await fetchAgentCard(doFetch, agent.endpoint);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
