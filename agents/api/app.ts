/**
 * The API agent as a Hono app: summarize, analyze and extract over REST, the original's
 * `/process`, `/health`, `/capabilities`, `/docs` and `/openapi.json`. Pure: no listening.
 */
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { createRoute } from "@hono/zod-openapi";
import type { AgentAnswers } from "@app/db";
import {
  type Config,
  createServiceApp,
  type Logger,
  requireAgentKey,
  ServiceMetrics,
} from "@app/lib";
import { API_OPERATIONS, OPERATION_CAPABILITY, OPERATIONS } from "@app/lib/capabilities";
import { modelName } from "./abstractive.ts";
import { mountOperationRoutes, OPERATION_DESCRIPTIONS } from "./routes.ts";
import { CapabilitiesSchema, HealthSchema } from "./schemas.ts";

export const AGENT_NAME = "API Agent";
export const AGENT_VERSION = "1.0.0";
export const AGENT_DESCRIPTION =
  "REST agent for data analysis, summarization and extraction: descriptive statistics, " +
  "extractive (or LLM) summaries, keywords, names, numbers and dates.";

export interface ApiAgentDeps {
  config: Config;
  logger: Logger;
  /** The chat model for abstractive summaries; null or absent: offline, extractive only. */
  llm?: BaseChatModel | null;
  /** Answers by idempotency key in the project's database (main.ts always gives them). */
  answers?: AgentAnswers;
  /** Test-only: each operation waits this long first, so a call can be caught in flight. */
  workDelayMs?: number;
}

export function createApp(deps: ApiAgentDeps) {
  const { config, logger } = deps;
  const llm = deps.llm ?? null;
  // A model handed in by a caller (tests, embedding) while the config says offline.
  const provider = !llm
    ? "offline"
    : config.LLM_PROVIDER === "offline"
    ? "custom"
    : config.LLM_PROVIDER;
  const app = createServiceApp({
    title: AGENT_NAME,
    version: AGENT_VERSION,
    description: AGENT_DESCRIPTION,
    logger,
    maxBodyBytes: config.MAX_BODY_BYTES,
    metrics: new ServiceMetrics("api-agent"),
  });
  app.use("*", requireAgentKey(config.AGENT_API_KEY));

  app.openapi(
    createRoute({
      method: "get",
      path: "/health",
      tags: ["system"],
      responses: {
        200: { description: "Up", content: { "application/json": { schema: HealthSchema } } },
      },
    }),
    (c) =>
      c.json({
        status: "healthy" as const,
        service: "api-agent",
        version: AGENT_VERSION,
        llm_provider: provider,
        offline: !llm,
      }, 200),
  );

  const operations = OPERATIONS.map((name) => ({
    name,
    route: `/api/${name}`,
    capability: OPERATION_CAPABILITY[name],
    description: OPERATION_DESCRIPTIONS[name],
    task_types: Object.keys(API_OPERATIONS).filter((t) => API_OPERATIONS[t] === name),
  }));
  app.openapi(
    createRoute({
      method: "get",
      path: "/capabilities",
      tags: ["system"],
      responses: {
        200: {
          description: "What this agent can do",
          content: { "application/json": { schema: CapabilitiesSchema } },
        },
      },
    }),
    (c) =>
      c.json({
        name: AGENT_NAME,
        description: AGENT_DESCRIPTION,
        version: AGENT_VERSION,
        capabilities: OPERATIONS.map((name) => OPERATION_CAPABILITY[name]),
        operations,
        llm: {
          provider,
          model: llm ? modelName(llm) : null,
        },
      }, 200),
  );

  mountOperationRoutes(app, {
    // Only an LLM call is worth aborting when the client leaves; reading request.signal
    // otherwise just makes Deno warn about its legacy abort-on-response behaviour.
    context: (request) => ({
      llm,
      logger,
      signal: llm ? request.signal : undefined,
      delayMs: deps.workDelayMs,
    }),
    answers: deps.answers,
  });
  return app;
}
