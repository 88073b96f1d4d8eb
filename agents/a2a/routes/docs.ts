/** OpenAPI entries for the A2A routes, which are served outside zod (the SDK validates them),
 * so `/docs` still shows them. */
import type { OpenAPIHono } from "@hono/zod-openapi";
import { CARD_PATHS } from "@app/lib/a2a";

export function documentA2aRoutes(app: OpenAPIHono) {
  for (const path of ["/", "/a2a"]) {
    app.openAPIRegistry.registerPath({
      method: "post",
      path,
      tags: ["a2a"],
      summary: "A2A JSON-RPC",
      description: "`A2A-Version: 1.0`: SendMessage, SendStreamingMessage, GetTask, CancelTask, " +
        "SubscribeToTask. No header or `0.3`: message/send, message/stream, tasks/get, " +
        "tasks/cancel, tasks/resubscribe. Streams answer Server-Sent Events.",
      responses: {
        200: { description: "A JSON-RPC response, or an SSE stream of them" },
      },
    });
  }
  for (const path of CARD_PATHS) {
    app.openAPIRegistry.registerPath({
      method: "get",
      path,
      tags: ["a2a"],
      summary: "Agent card (v1.0 with `A2A-Version: 1.0`, else v0.3)",
      responses: { 200: { description: "The agent card" } },
    });
  }
}
