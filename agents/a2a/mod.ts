/** The A2A research agent's public face. */
export { type A2aAgentDeps, createApp } from "./app.ts";
export type { Report } from "./report.ts";
