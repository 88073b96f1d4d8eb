/** OpenAPI entries for the A2A routes, which are served outside zod (the SDK validates them),
 * so `/docs` still shows them. */
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { CARD_PATHS } from "./card_route.ts";

/** A JSON-RPC 2.0 response, as A2A (and MCP) answer: `result` or `error`. */
export const JsonRpcResponse = z.object({
  jsonrpc: z.literal("2.0"),
  id: z.union([z.string(), z.number(), z.null()]),
  result: z.unknown().optional(),
  error: z.object({ code: z.number().int(), message: z.string(), data: z.unknown().optional() })
    .optional(),
}).openapi("JsonRpcResponse");

const AgentCardShape = z.object({
  name: z.string(),
  description: z.string(),
  version: z.string(),
  skills: z.array(z.record(z.string(), z.unknown())),
  capabilities: z.record(z.string(), z.unknown()),
}).catchall(z.unknown()).openapi("AgentCard");

export function documentA2aRoutes(app: OpenAPIHono, rpcPaths: string[]) {
  for (const path of rpcPaths) {
    app.openAPIRegistry.registerPath({
      method: "post",
      path,
      tags: ["a2a"],
      summary: "A2A JSON-RPC",
      description: "`A2A-Version: 1.0`: SendMessage, SendStreamingMessage, GetTask, CancelTask, " +
        "SubscribeToTask, the push notification config methods. No header or `0.3`: " +
        "message/send, message/stream, tasks/get, tasks/cancel, tasks/resubscribe, " +
        "tasks/pushNotificationConfig/*. Streams answer Server-Sent Events.",
      responses: {
        200: {
          description: "A JSON-RPC response, or (streams) an SSE stream of them",
          content: { "application/json": { schema: JsonRpcResponse } },
        },
      },
    });
  }
  for (const path of CARD_PATHS) {
    app.openAPIRegistry.registerPath({
      method: "get",
      path,
      tags: ["a2a"],
      summary: "Agent card (v1.0 with `A2A-Version: 1.0`, else v0.3)",
      responses: {
        200: {
          description: "The agent card",
          content: { "application/json": { schema: AgentCardShape } },
        },
      },
    });
  }
}
