/**
 * A2A server pieces shared by the built-in A2A agent and the orchestrator's own A2A endpoint:
 * card shapes and routes, JSON-RPC in Hono, the checked request handler, the DB task store.
 */
export { bearerSecurity, cardJson, toLegacyCard } from "./card.ts";
export { CARD_PATHS, mountAgentCard } from "./card_route.ts";
export { documentA2aRoutes, JsonRpcResponse } from "./docs.ts";
export { jsonRpcHandler, type JsonRpcOptions } from "./jsonrpc.ts";
export { agentMessage, dataPart, statusEvent, textOfParts, textPart } from "./parts.ts";
export { CheckedRequestHandler } from "./request_handler.ts";
export { createTaskStore } from "./task_store.ts";
export { createPushNotifications, type PushNotifications, type PushUrlCheck } from "./push.ts";
