/** An MCP agent's tools (kept in its config at registration): name, what it does, arguments. */
import type { Agent } from "../types.ts";

interface ToolInfo {
  name: string;
  description?: string;
  input_schema?: { properties?: Record<string, unknown>; required?: string[] };
}

export function mcpToolsOf(agent: Pick<Agent, "agent_type" | "config">): ToolInfo[] {
  const tools = agent.agent_type === "mcp" ? agent.config?.tools : undefined;
  return Array.isArray(tools)
    ? tools.filter((t): t is ToolInfo => typeof t?.name === "string")
    : [];
}

export function McpTools({ agent }: { agent: Pick<Agent, "agent_type" | "config"> }) {
  const tools = mcpToolsOf(agent);
  if (!tools.length) return null;
  return (
    <>
      <dt>Tools</dt>
      <dd>
        <ul class="mcp-tools">
          {tools.map((tool) => {
            const required = new Set(tool.input_schema?.required ?? []);
            const args = Object.keys(tool.input_schema?.properties ?? {});
            return (
              <li key={tool.name}>
                <code>{tool.name}</code>
                {args.length > 0 && (
                  <span class="tool-args">
                    ({args.map((a) => (required.has(a) ? a : `${a}?`)).join(", ")})
                  </span>
                )}
                {tool.description && <span class="tool-description">{tool.description}</span>}
              </li>
            );
          })}
        </ul>
      </dd>
    </>
  );
}
