/** The API agent's public face: its app factory and the request/response schemas. */
export { type ApiAgentDeps, createApp } from "./app.ts";
export {
  type OperationBody,
  type OperationResponse,
  OperationResponseSchema,
  OPERATIONS,
} from "./schemas.ts";
