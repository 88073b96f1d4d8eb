/**
 * GET /api/agents/calls: per agent, its calls, success rate, p50/p95 latency and last error,
 * from its newest finished steps; a user sees the numbers of their own tasks, an admin all.
 * Mounted before /api/agents/{id}, which would take "usage" for an id.
 */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { recentStepOutcomes } from "@app/db";
import { AgentCalls } from "@app/lib/api_contract";
import type { OrchestratorDeps } from "../deps.ts";
import { ownerFilter } from "../access.ts";
import { agentCalls } from "../agent_calls.ts";
import { principalOf } from "../auth/principal.ts";
import { errorResponses, jsonResponse } from "../schemas.ts";

export function mountAgentCallsRoute(app: OpenAPIHono, deps: OrchestratorDeps): void {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/agents/calls",
      tags: ["agents"],
      summary: "Each agent's calls, success rate, p50/p95 latency and last error",
      responses: {
        200: jsonResponse(z.array(AgentCalls), "One entry per agent that ran a step"),
        ...errorResponses(),
      },
    }),
    async (c) => {
      const outcomes = await recentStepOutcomes(deps.db, {
        owner: ownerFilter(principalOf(c)),
      });
      return c.json(agentCalls(outcomes), 200);
    },
  );
}
