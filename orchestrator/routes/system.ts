/** /health and /metrics: open even when an API key guards /api. */
import type { OpenAPIHono } from "@hono/zod-openapi";
import { sql } from "kysely";
import { agentStats, countTasksByStatus } from "@app/db";
import type { OrchestratorDeps } from "../deps.ts";
import type { Executor } from "../executor/executor.ts";

export function mountSystemRoutes(
  app: OpenAPIHono,
  deps: OrchestratorDeps,
  executor?: Executor,
): void {
  app.get("/health", async (c) => {
    let database = "ok";
    try {
      await sql`select 1`.execute(deps.db);
    } catch (error) {
      database = `unavailable: ${error instanceof Error ? error.message : error}`;
    }
    const healthy = database === "ok";
    return c.json({
      status: healthy ? "healthy" : "degraded",
      service: "orchestrator",
      database,
      llm_provider: deps.config.LLM_PROVIDER,
      running_tasks: executor?.runningTaskIds.length ?? 0,
    }, healthy ? 200 : 503);
  });

  app.get("/metrics", async (c) => {
    const [tasks, agents] = await Promise.all([countTasksByStatus(deps.db), agentStats(deps.db)]);
    const body = deps.metrics.render(tasks, {
      active: agents.active,
      inactive: agents.inactive,
      error: agents.error,
    });
    return c.body(body, 200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" });
  });
}
