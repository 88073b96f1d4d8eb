/** The orchestrator service. */
export { createApp } from "./app.ts";
export { createOrchestrator, type Orchestrator, type OrchestratorOptions } from "./service.ts";
export { Executor } from "./executor/executor.ts";
export { TaskLifecycle } from "./lifecycle/lifecycle.ts";
export { createPlanner } from "./planner.ts";
export { draftSteps } from "./deterministic_planner.ts";
