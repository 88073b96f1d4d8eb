/**
 * /mcp: the orchestrator's MCP server over Streamable HTTP, stateless (a server and transport
 * per request, as the SDK recommends for servers that scale out), behind the API's auth.
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { JsonRpcResponse } from "@app/lib/a2a";
import type { OrchestratorDeps } from "../deps.ts";
import { authenticate } from "../auth/middleware.ts";
import { principalOf } from "../auth/principal.ts";
import { createMcpServer } from "../mcp/server.ts";
import type { TaskIntake } from "../task_service.ts";

export const MCP_PATH = "/mcp";

export function mountMcpRoutes(app: OpenAPIHono, deps: OrchestratorDeps, intake?: TaskIntake) {
  app.openAPIRegistry.registerPath({
    method: "post",
    path: MCP_PATH,
    tags: ["mcp"],
    summary: "MCP server (Streamable HTTP, stateless)",
    description: "JSON-RPC from an MCP client: initialize, tools/list, tools/call with the " +
      "tools create_task, get_task, cancel_task and list_agents. Answers JSON or a Server-Sent " +
      "Events stream (progress notifications while create_task waits). Same credentials as /api.",
    responses: {
      200: {
        description: "A JSON-RPC response, or an SSE stream of messages",
        content: { "application/json": { schema: JsonRpcResponse } },
      },
    },
  });
  app.use(MCP_PATH, authenticate(deps.auth));
  // Stateless, there is no session to push server-initiated messages to: a GET's standalone SSE
  // stream would stay open and empty until the client drops it (holding a graceful shutdown),
  // and there is no session to DELETE. The spec's answer for both is 405; clients expect it.
  app.on(["GET", "DELETE"], MCP_PATH, (c) =>
    c.json(
      { error: { code: "method_not_allowed", message: "POST JSON-RPC messages to /mcp" } },
      405,
      { Allow: "POST" },
    ));
  app.post(MCP_PATH, async (c) => {
    const server = createMcpServer(deps, intake, principalOf(c));
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: false,
      maxRequestBodySize: deps.config.MAX_BODY_BYTES,
    });
    await server.connect(transport);
    const response = await transport.handleRequest(c.req.raw);
    // A JSON answer is complete; a stream closes the server when the client is done with it.
    if (!response.body) await server.close();
    return response;
  });
}
