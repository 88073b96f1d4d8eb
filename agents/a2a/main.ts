/** The A2A research agent (port 8001): reads config, serves, shuts down gracefully. */
import { ConfigError, createChatModel, createLogger, loadConfig } from "@app/lib";
import { createApp } from "./app.ts";

let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`a2a-agent: ${error.message}`);
    Deno.exit(2);
  }
  throw error;
}
const logger = createLogger("a2a-agent", config.LOG_LEVEL);
const app = createApp({
  config,
  logger,
  llm: createChatModel(config, logger),
  publicUrl: config.A2A_AGENT_URL,
});
const server = Deno.serve({
  hostname: config.HOST,
  port: config.A2A_AGENT_PORT,
  onListen: ({ hostname, port }) =>
    logger.info("listening", {
      url: `http://${hostname}:${port}`,
      public_url: config.A2A_AGENT_URL,
      docs: "/docs",
    }),
}, app.fetch);

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.info("shutting down", { signal });
  await server.shutdown();
  Deno.exit(0);
};
Deno.addSignalListener("SIGINT", () => shutdown("SIGINT"));
Deno.addSignalListener("SIGTERM", () => shutdown("SIGTERM"));
