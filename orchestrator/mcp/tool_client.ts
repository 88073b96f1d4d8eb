/**
 * Talking to an MCP server (Streamable HTTP) as an agent: its tools become the agent's
 * capabilities, a step routed to a tool calls it, and a ping is its health check. Each use is
 * one short session through the given fetch (the outbound guard and the agent's credential).
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Progress } from "@modelcontextprotocol/sdk/types.js";
import type { JsonObject } from "@app/db";
import type { ToolSchema } from "./tool_arguments.ts";

export interface McpTool {
  name: string;
  description: string;
  input_schema: ToolSchema & JsonObject;
}

/** What a tool call produced: its text, and the structured content when it gave some. */
export interface McpToolResult {
  text: string;
  content: JsonObject[];
  structured?: JsonObject;
  isError: boolean;
}

const CLIENT_INFO = { name: "multi-agent-orchestrator", version: "1.0.0" };

/** Calls waited on by a step: its own deadline ends them, not the SDK's 60 s default. */
const LONG_CALL_MS = 24 * 60 * 60 * 1000;

async function withSession<T>(
  endpoint: string,
  fetchImpl: typeof fetch,
  signal: AbortSignal | undefined,
  use: (client: Client) => Promise<T>,
): Promise<T> {
  const client = new Client(CLIENT_INFO);
  const transport = new StreamableHTTPClientTransport(new URL(endpoint), { fetch: fetchImpl });
  await client.connect(transport, { signal });
  try {
    return await use(client);
  } finally {
    // Ends the server's session too (DELETE), then the transport.
    await transport.terminateSession().catch(() => {});
    await client.close().catch(() => {});
  }
}

async function toolsOf(client: Client, signal: AbortSignal | undefined): Promise<McpTool[]> {
  const tools: McpTool[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor ? { cursor } : undefined, { signal });
    for (const tool of page.tools) {
      tools.push({
        name: tool.name,
        description: tool.description ?? tool.title ?? "",
        input_schema: tool.inputSchema as McpTool["input_schema"],
      });
    }
    cursor = page.nextCursor;
  } while (cursor);
  return tools;
}

export async function listMcpTools(
  endpoint: string,
  fetchImpl: typeof fetch,
  signal?: AbortSignal,
): Promise<McpTool[]> {
  return await withSession(endpoint, fetchImpl, signal, (client) => toolsOf(client, signal));
}

/** The tool a capability names (capabilities are compared without case, tool names are not). */
export function toolNamed(tools: McpTool[], capability: string): McpTool | undefined {
  return tools.find((t) => t.name === capability) ??
    tools.find((t) => t.name.toLowerCase() === capability.toLowerCase());
}

/**
 * Calls the tool a capability names, after `check` accepted its arguments for the tool's
 * current schema (read in the same session: the server may have changed since registration).
 */
export async function callMcpTool(
  endpoint: string,
  fetchImpl: typeof fetch,
  call: {
    capability: string;
    arguments: JsonObject;
    signal: AbortSignal;
    check: (tool: McpTool | undefined) => void;
  },
  onProgress?: (message: string) => void,
): Promise<McpToolResult & { tool: string }> {
  return await withSession(endpoint, fetchImpl, call.signal, async (client) => {
    const tool = toolNamed(await toolsOf(client, call.signal), call.capability);
    call.check(tool);
    const result = await client.callTool(
      { name: tool!.name, arguments: call.arguments },
      undefined,
      {
        signal: call.signal,
        timeout: LONG_CALL_MS,
        resetTimeoutOnProgress: true,
        onprogress: onProgress &&
          ((p: Progress) =>
            onProgress(p.message ?? `${p.progress}${p.total ? `/${p.total}` : ""}`)),
      },
    );
    const content = (Array.isArray(result.content) ? result.content : []) as JsonObject[];
    const text = content.filter((c) => c.type === "text").map((c) => String(c.text)).join("\n");
    return {
      tool: tool!.name,
      text,
      content,
      structured: result.structuredContent as JsonObject | undefined,
      isError: result.isError === true,
    };
  });
}

export async function pingMcp(endpoint: string, fetchImpl: typeof fetch): Promise<void> {
  const signal = AbortSignal.timeout(5_000);
  await withSession(endpoint, fetchImpl, signal, (client) => client.ping({ signal }));
}
