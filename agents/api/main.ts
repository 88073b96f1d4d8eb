/** The API agent (port 8002): reads config, serves, shuts down gracefully on SIGINT/SIGTERM. */
import { ConfigError, createChatModel, createLogger, loadConfig } from "@app/lib";
import { createApp } from "./app.ts";

let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`api-agent: ${error.message}`);
    Deno.exit(2);
  }
  throw error;
}
const logger = createLogger("api-agent", config.LOG_LEVEL);
const app = createApp({ config, logger, llm: createChatModel(config, logger) });
const server = Deno.serve({
  hostname: config.HOST,
  port: config.API_AGENT_PORT,
  onListen: ({ hostname, port }) =>
    logger.info("listening", { url: `http://${hostname}:${port}`, docs: "/docs" }),
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
