/** The A2A research agent as a Hono app: agent card, A2A JSON-RPC (v1.0 and v0.3) on the SDK's
 * request handler, and the original's REST routes, all on one research service. */
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { Kysely } from "kysely";
import { A2A_PUSH_CONFIG_TABLE, AgentAnswers, type Database } from "@app/db";
import {
  chatEndpoint,
  type Config,
  createServiceApp,
  type Logger,
  requireAgentKey,
  ServiceMetrics,
} from "@app/lib";
import {
  CARD_PATHS,
  CheckedRequestHandler,
  createPushNotifications,
  createTaskStore,
  documentA2aRoutes,
  jsonRpcHandler,
  mountAgentCard,
} from "@app/lib/a2a";
import { AGENT_DESCRIPTION, AGENT_NAME, AGENT_VERSION, buildAgentCard } from "./card.ts";
import { ResearchExecutor } from "./executor.ts";
import { createResearchService } from "./research.ts";
import type { GraphPool } from "./graph/pool.ts";
import { KyselyCheckpointSaver } from "./graph/checkpoint_saver.ts";
import { mountRestRoutes } from "./routes/rest.ts";

export interface A2aAgentDeps {
  config: Config;
  logger: Logger;
  llm: BaseChatModel | null;
  /** The project's database, migrated: the agent's A2A tasks live in its `a2a_tasks` table. */
  db: Kysely<Database>;
  /** Where clients reach this agent; the card advertises JSON-RPC at this URL. */
  publicUrl: string;
  /** Test-only: each graph node waits this long, so a running task can be cancelled. */
  nodeDelayMs?: number;
  /** Reports by idempotency key (default: in `db`, kept IDEMPOTENCY_TTL_MS). */
  answers?: AgentAnswers;
  /** Worker threads for the offline graph (the caller closes it); none: runs on this thread. */
  graphPool?: GraphPool;
}

export function createApp(deps: A2aAgentDeps) {
  const { config, logger, llm } = deps;
  const app = createServiceApp({
    title: AGENT_NAME,
    version: AGENT_VERSION,
    description: `${AGENT_DESCRIPTION} A2A JSON-RPC is served at \`/\` (and \`/a2a\`); ` +
      `the agent card at ${CARD_PATHS.join(" and ")}.`,
    logger,
    maxBodyBytes: config.MAX_BODY_BYTES,
    metrics: new ServiceMetrics("a2a-agent"),
  });
  app.use("*", requireAgentKey(config.AGENT_API_KEY));
  const research = createResearchService({
    llm,
    nodeDelayMs: deps.nodeDelayMs,
    pool: deps.graphPool,
    // A run that stops to ask is saved in the same database, so any process resumes it.
    checkpointer: new KyselyCheckpointSaver(deps.db),
  });
  // The SDK runs the same executor for SendMessage and SendStreamingMessage; the executor
  // publishes step by step only where someone can watch (see ResearchExecutor).
  const executor = new ResearchExecutor({
    research,
    logger,
    // Reports by idempotency key, in the same database as the A2A tasks.
    answers: deps.answers ??
      new AgentAnswers(deps.db, { agent: "a2a-agent", ttlMs: config.IDEMPOTENCY_TTL_MS }),
    watched: (context) =>
      requestHandler.streamed.has(context.context) ||
      context.request.configuration?.returnImmediately === true,
  });
  // Push notification configs in the project's database, sent by the SDK's sender.
  const push = createPushNotifications(deps.db, A2A_PUSH_CONFIG_TABLE);
  const requestHandler: CheckedRequestHandler = new CheckedRequestHandler(
    buildAgentCard(deps.publicUrl, { bearer: Boolean(config.AGENT_API_KEY) }),
    createTaskStore(deps.db),
    executor,
    undefined,
    push.store,
    push.sender,
  );

  mountAgentCard(app, () => requestHandler.getAgentCard());
  // Outside zod validation on purpose: the SDK validates JSON-RPC and answers its own codes.
  const rpc = jsonRpcHandler(requestHandler, logger);
  app.post("/", rpc);
  app.post("/a2a", rpc);
  const endpoint = chatEndpoint(config);
  mountRestRoutes(app, {
    research,
    llm: {
      provider: config.LLM_PROVIDER,
      model: llm ? endpoint?.model ?? "unknown" : null,
    },
  });
  documentA2aRoutes(app, ["/", "/a2a"]);
  return app;
}
