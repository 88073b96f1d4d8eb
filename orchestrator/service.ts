/**
 * Builds a whole orchestrator from config: database (migrated), planner, registry, executor
 * and app. main.ts serves it; tests and the benchmark start it on port 0 the same way.
 */
import { RetentionSweeper } from "./retention_sweeper.ts";
import { connect, isPostgres, migrateToLatest, WriteBatcher } from "@app/db";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { type Config, createChatModel, createLogger, type Logger } from "@app/lib";
import { createApp } from "./app.ts";
import { Authenticator } from "./auth/authenticator.ts";
import { createAgentCache } from "./agent_cache.ts";
import { type AgentClient, createAgentClient } from "./agent_client.ts";
import { createCredentialStore } from "./agent_credentials.ts";
import { Executor } from "./executor/executor.ts";
import { TaskLifecycle } from "./lifecycle/lifecycle.ts";
import { Metrics } from "./metrics.ts";
import { createNotifier } from "./notifier.ts";
import { createPlanner } from "./planner.ts";
import { createRegistry } from "./registry.ts";
import { WebhookDispatcher, type WebhookDispatcherOptions } from "./webhooks/dispatcher.ts";
import { guardedFetch } from "./outbound/guarded_fetch.ts";
import { parsePrices } from "@app/lib/prices";
import { WaitSweeper } from "./wait_sweeper.ts";

export interface OrchestratorOptions {
  logger?: Logger;
  agentClient?: AgentClient;
  /** The chat model for the planner (default: from config); null plans deterministically. */
  llm?: BaseChatModel | null;
  /** Register the built-in agents from A2A_AGENT_URL / API_AGENT_URL (default true). */
  registerBuiltIns?: boolean;
  /** Run the executor in this process (default true). */
  execute?: boolean;
  executorOverrides?: Partial<ConstructorParameters<typeof Executor>[0]>;
  /** Deliver the webhook outbox from this process (default true). */
  deliverWebhooks?: boolean;
  webhookOverrides?: Partial<WebhookDispatcherOptions>;
}

export async function createOrchestrator(config: Config, options: OrchestratorOptions = {}) {
  const logger = options.logger ?? createLogger("orchestrator", config.LOG_LEVEL);
  const db = connect(config.DATABASE_URL, {
    poolSize: config.DATABASE_POOL_SIZE,
    sqliteSynchronous: config.SQLITE_SYNCHRONOUS,
  });
  await migrateToLatest(db);
  const llm = options.llm !== undefined ? options.llm : createChatModel(config, logger);
  const outbound = {
    allowPrivate: config.OUTBOUND_ALLOW_PRIVATE,
    allowlist: config.OUTBOUND_ALLOWLIST,
  };
  const credentials = createCredentialStore(db);
  const agentClient = options.agentClient ?? createAgentClient({ outbound, credentials });
  // Two batches in flight on Postgres: one fills while the other commits. More make smaller
  // batches, and every batch pays its begin, appends and commit in round trips (measured:
  // 1.5 ms of CPU per task with five, 1.2 with two).
  const writes = new WriteBatcher(db, {
    concurrency: isPostgres(db) ? Math.min(2, config.DATABASE_POOL_SIZE) : 1,
  });
  // Its NOTIFYs ride in the write batches' transactions.
  const notifier = await createNotifier(db, logger, writes);
  const metrics = new Metrics();
  const planner = createPlanner({ llm, logger });
  const agents = createAgentCache(db);
  const registry = createRegistry({
    db,
    agentClient,
    logger,
    outbound,
    onChange: () => {
      agents.invalidate();
      credentials.invalidate();
    },
  });
  const lifecycle = new TaskLifecycle({
    db,
    writes,
    notifier,
    prices: parsePrices(config.LLM_PRICES),
  });
  const executor = new Executor({
    lifecycle,
    db,
    agentClient,
    notifier,
    logger,
    metrics,
    agents,
    writes,
    concurrency: config.WORKER_CONCURRENCY,
    stepConcurrency: config.STEP_CONCURRENCY,
    leaseMs: config.LEASE_MS,
    stepTimeoutMs: config.STEP_TIMEOUT_MS,
    maxRetries: config.STEP_MAX_RETRIES,
    ...options.executorOverrides,
  });
  const webhooks = new WebhookDispatcher({
    db,
    lifecycle,
    agents,
    logger,
    secret: config.WEBHOOK_SECRET,
    maxAttempts: config.WEBHOOK_MAX_ATTEMPTS,
    retryBaseMs: config.WEBHOOK_RETRY_BASE_MS,
    // Receivers are reached through the same outbound guard as agents.
    fetch: guardedFetch(outbound),
    ...options.webhookOverrides,
  });
  // Deliveries written here are sent at once; others' (and retries) are found by polling.
  writes.onDeliveries = () => webhooks.wake();
  const deps = {
    config,
    db,
    writes,
    logger,
    planner,
    registry,
    notifier,
    metrics,
    agents,
    lifecycle,
    auth: new Authenticator({ db, config }),
  };
  const app = createApp(deps, executor);
  // Plans nobody approved in time, and queued tasks whose turn came (issue 15).
  const waitSweeper = new WaitSweeper({
    db,
    lifecycle,
    planner,
    agents,
    notifier,
    logger,
    approvalTimeoutMs: config.APPROVAL_TIMEOUT_MS,
  });

  if (options.registerBuiltIns ?? true) {
    // The built-in agents answer only the holder of AGENT_API_KEY: this orchestrator.
    const key = config.AGENT_API_KEY ? { credentials: { token: config.AGENT_API_KEY } } : {};
    registry.registerBuiltIns([
      { url: config.A2A_AGENT_URL, agent_type: "a2a_server", ...key },
      { url: config.API_AGENT_URL, agent_type: "api", ...key },
    ]);
  }
  registry.startMonitor(config.HEALTH_CHECK_INTERVAL_MS);
  if (options.execute ?? true) {
    executor.start();
    waitSweeper.start();
  }
  if (options.deliverWebhooks ?? true) webhooks.start();
  const retention = config.TASK_RETENTION_DAYS > 0
    ? new RetentionSweeper({ db, logger, retentionDays: config.TASK_RETENTION_DAYS })
    : undefined;
  retention?.start();

  return {
    app,
    db,
    executor,
    webhooks,
    waitSweeper,
    registry,
    notifier,
    metrics,
    logger,
    auth: deps.auth,
    /** The retention sweeper, when TASK_RETENTION_DAYS is set. */
    retention,
    /** Stops taking work, hands leases back, closes the database. */
    async close() {
      registry.stop();
      await waitSweeper.stop();
      await executor.stop();
      await webhooks.stop();
      await retention?.stop();
      await notifier.close();
      await db.destroy();
    },
  };
}

export type Orchestrator = Awaited<ReturnType<typeof createOrchestrator>>;
