/** The API agent (port 8002): reads config, serves, shuts down gracefully on SIGINT/SIGTERM. */
import { createChatModel, createLogger, loadConfigOrExit, serveUntilSignal } from "@app/lib";
import { createApp } from "./app.ts";

const config = loadConfigOrExit("api-agent");
const logger = createLogger("api-agent", config.LOG_LEVEL);
const app = createApp({ config, logger, llm: createChatModel(config, logger) });
serveUntilSignal({
  logger,
  hostname: config.HOST,
  port: config.API_AGENT_PORT,
  access: {
    authenticated: Boolean(config.AGENT_API_KEY),
    allowUnauthenticated: config.ALLOW_UNAUTHENTICATED,
  },
  fetch: app.fetch,
  listening: { docs: "/docs" },
});
