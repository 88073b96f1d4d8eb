/** One registered agent: what it is, what it can do, how it is doing, and its actions. */
import type { ComponentChildren } from "preact";
import type { Agent } from "../types.ts";
import { StatusBadge } from "./status_badge.tsx";
import { Time } from "./time.tsx";
import { McpTools } from "./mcp_tools.tsx";

export function AgentItem({ agent, children }: { agent: Agent; children?: ComponentChildren }) {
  return (
    <li class="card agent" data-agent-id={agent.id} aria-labelledby={`agent-${agent.id}-name`}>
      <div class="card-header">
        <h3 id={`agent-${agent.id}-name`}>{agent.name}</h3>
        <StatusBadge status={agent.status} />
      </div>
      {agent.description && <p>{agent.description}</p>}
      <dl class="facts">
        <dt>Type</dt>
        <dd>{agent.agent_type}</dd>
        <dt>Endpoint</dt>
        <dd>
          <code>{agent.endpoint}</code>
        </dd>
        <dt>Capabilities</dt>
        <dd>
          <ul class="tags">
            {agent.capabilities.map((capability) => <li key={capability}>{capability}</li>)}
          </ul>
        </dd>
        <McpTools agent={agent} />
        <dt>Last seen</dt>
        <dd>
          <Time iso={agent.last_seen_at} />
        </dd>
        {agent.last_error && (
          <>
            <dt>Last error</dt>
            <dd class="error-text">{agent.last_error}</dd>
          </>
        )}
      </dl>
      {children}
    </li>
  );
}
