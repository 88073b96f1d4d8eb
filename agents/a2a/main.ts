/** The A2A research agent (port 8001): reads config, serves, shuts down gracefully. */
import { createChatModel, createLogger, loadConfigOrExit, serveUntilSignal } from "@app/lib";
import { createApp } from "./app.ts";

const config = loadConfigOrExit("a2a-agent");
const logger = createLogger("a2a-agent", config.LOG_LEVEL);
const app = createApp({
  config,
  logger,
  llm: createChatModel(config, logger),
  publicUrl: config.A2A_AGENT_URL,
});
serveUntilSignal({
  logger,
  hostname: config.HOST,
  port: config.A2A_AGENT_PORT,
  fetch: app.fetch,
  listening: { public_url: config.A2A_AGENT_URL, docs: "/docs" },
});
