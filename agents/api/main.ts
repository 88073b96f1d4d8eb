/** The API agent (port 8002): reads config, serves, shuts down gracefully on SIGINT/SIGTERM. */
import { AgentAnswers, connect, migrateToLatest } from "@app/db";
import { createChatModel, createLogger, loadConfigOrExit, serveUntilSignal } from "@app/lib";
import { createApp } from "./app.ts";

const config = loadConfigOrExit("api-agent");
const logger = createLogger("api-agent", config.LOG_LEVEL);
// Answers by idempotency key live in the project's database, so a call repeated after an
// orchestrator's crash (or to another process of this agent) is answered without the work.
const db = connect(config.DATABASE_URL, {
  poolSize: config.DATABASE_POOL_SIZE,
  sqliteSynchronous: config.SQLITE_SYNCHRONOUS,
});
await migrateToLatest(db);
const answers = new AgentAnswers(db, { agent: "api-agent", ttlMs: config.IDEMPOTENCY_TTL_MS });
const app = createApp({ config, logger, llm: createChatModel(config, logger), answers });
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
  onStop: () => db.destroy(),
});
