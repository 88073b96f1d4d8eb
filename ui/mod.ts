/** The UI service: the app, the islands build, and the orchestrator client it is made of. */
export { createApp, STATIC_DIR, type UiDeps } from "./app.ts";
export { buildIslands, DEFAULT_ISLANDS_DIR, listIslands, watchIslands } from "./build.ts";
export {
  createOrchestratorClient,
  type OrchestratorClient,
  OrchestratorError,
} from "./orchestrator_client.ts";
