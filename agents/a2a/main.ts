/** The A2A research agent (port 8001): reads config, opens the database, serves, shuts down
 * gracefully. */
import { connect, migrateToLatest } from "@app/db";
import { createChatModel, createLogger, loadConfigOrExit, serveUntilSignal } from "@app/lib";
import { createApp } from "./app.ts";
import { GraphPool } from "./graph/pool.ts";

const config = loadConfigOrExit("a2a-agent");
const logger = createLogger("a2a-agent", config.LOG_LEVEL);
const llm = createChatModel(config, logger);
// The agent's A2A tasks live in the project's database. Migrating here too (as the
// orchestrator does) lets the agent start first or alone; concurrent runs are serialised by
// the migrator's lock (Postgres) or the write lock (SQLite).
const db = connect(config.DATABASE_URL, {
  poolSize: config.DATABASE_POOL_SIZE,
  sqliteSynchronous: config.SQLITE_SYNCHRONOUS,
});
await migrateToLatest(db);
// Offline, the graph's CPU is most of a message's: it runs on worker threads, by default one
// per CPU core (the HTTP and A2A work here takes well under half of a message's CPU).
const workers = config.A2A_GRAPH_WORKERS ?? navigator.hardwareConcurrency;
const graphPool = llm || workers === 0 ? undefined : new GraphPool(workers);
// Listening only once the workers have compiled their graphs (or failed to, when the graph
// runs here): the first messages do not queue behind start-up.
await graphPool?.ready;
const app = createApp({ config, logger, llm, db, publicUrl: config.A2A_AGENT_URL, graphPool });
serveUntilSignal({
  logger,
  hostname: config.HOST,
  port: config.A2A_AGENT_PORT,
  access: {
    authenticated: Boolean(config.AGENT_API_KEY),
    allowUnauthenticated: config.ALLOW_UNAUTHENTICATED,
  },
  fetch: app.fetch,
  listening: {
    public_url: config.A2A_AGENT_URL,
    docs: "/docs",
    graph_workers: graphPool?.size ?? 0,
  },
  onStop: async () => {
    graphPool?.close();
    await db.destroy();
  },
});
