/** /health and /metrics: open even when an API key guards /api. */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { sql } from "kysely";
import { agentStats, countQueuedTasks, countTasksByStatus } from "@app/db";
import { Health } from "@app/lib/api_contract";
import type { OrchestratorDeps } from "../deps.ts";
import type { Executor } from "../executor/executor.ts";
import { jsonResponse } from "../schemas.ts";

export function mountSystemRoutes(
  app: OpenAPIHono,
  deps: OrchestratorDeps,
  executor?: Executor,
): void {
  app.openapi(
    createRoute({
      method: "get",
      path: "/health",
      tags: ["system"],
      summary: "Whether the service and its database answer",
      responses: {
        200: jsonResponse(Health, "Healthy"),
        503: jsonResponse(Health, "Degraded: the database is unavailable"),
      },
    }),
    async (c) => {
      let database = "ok";
      try {
        await sql`select 1`.execute(deps.db);
      } catch (error) {
        database = `unavailable: ${error instanceof Error ? error.message : error}`;
      }
      const health = {
        service: "orchestrator" as const,
        database,
        llm_provider: deps.config.LLM_PROVIDER,
        running_tasks: executor?.runningTaskIds.length ?? 0,
      };
      return database === "ok"
        ? c.json({ status: "healthy" as const, ...health }, 200)
        : c.json({ status: "degraded" as const, ...health }, 503);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/metrics",
      tags: ["system"],
      summary: "Prometheus metrics",
      responses: {
        200: {
          description: "Prometheus text: tasks by status, step durations, agent calls, memory",
          content: { "text/plain": { schema: z.string() } },
        },
      },
    }),
    async (c) => {
      const [tasks, agents, queued] = await Promise.all([
        countTasksByStatus(deps.db),
        agentStats(deps.db),
        countQueuedTasks(deps.db),
      ]);
      const body = await deps.metrics.render({
        tasksByStatus: tasks,
        agentsByStatus: { active: agents.active, inactive: agents.inactive, error: agents.error },
        queueDepth: queued,
      });
      return c.text(body, 200, { "Content-Type": "text/plain; version=0.0.4; charset=utf-8" });
    },
  );
}
