/** What every service shares: configuration, logging, HTTP errors. */
export * from "./config.ts";
export * from "./logger.ts";
export * from "./http_errors.ts";
export * from "./openapi_app.ts";
export * from "./llm.ts";
export * from "./service_main.ts";
export * from "./listen_address.ts";
export * from "./task_events.ts";
export * from "./task_transitions.ts";
export * from "./agent_key.ts";
export * from "./prometheus.ts";
