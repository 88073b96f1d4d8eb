/** /api/agents: register (in full or by URL), list and find by capability, health, the original's aliases. */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import {
  agentStats,
  agentUsageTotals,
  appendAudit,
  deleteAgent,
  getAgent,
  listAgents,
  setAgentCredential,
  updateAgent,
} from "@app/db";
import { toCredential } from "../agent_credentials.ts";
import { notFound } from "@app/lib";
import { Agent, AgentDeleted, AgentHealth, AgentStats } from "@app/lib/api_contract";
import type { OrchestratorDeps } from "../deps.ts";
import { actorOf, requireAdmin } from "../access.ts";
import { principalOf } from "../auth/principal.ts";
import {
  errorResponses,
  IdParam,
  jsonBody,
  jsonResponse,
  ListAgentsQuery,
  RegisterAgentBody,
  UpdateAgentBody,
} from "../schemas.ts";

export function mountAgentRoutes(app: OpenAPIHono, deps: OrchestratorDeps): void {
  const { db, registry } = deps;

  for (const path of ["/api/agents", "/api/agents/register"]) {
    app.openapi(
      createRoute({
        method: "post",
        path,
        tags: ["agents"],
        summary: path.endsWith("register")
          ? "Register an agent (the original's route)"
          : "Register an agent with full details, or an A2A agent by its URL alone",
        request: jsonBody(RegisterAgentBody),
        responses: {
          201: jsonResponse(Agent, "The registered agent"),
          ...errorResponses(400, 403, 409, 413, 422),
        },
      }),
      async (c) => {
        const principal = principalOf(c);
        requireAdmin(principal, "registering an agent");
        const agent = await registry.register(c.req.valid("json"), { actor: actorOf(principal) });
        return c.json(agent, 201);
      },
    );
  }

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/agents",
      tags: ["agents"],
      summary: "Agents (an array), optionally those with a capability",
      request: { query: ListAgentsQuery },
      responses: {
        200: jsonResponse(z.array(Agent), "An array of agents, in id order"),
        ...errorResponses(422),
      },
    }),
    async (c) => c.json(await listAgents(db, c.req.valid("query")), 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/agents/stats",
      tags: ["agents"],
      summary: "Counts of agents by status and type, and the LLM usage of each agent's steps",
      responses: {
        200: jsonResponse(AgentStats, "Counts of agents by status and by type"),
        ...errorResponses(),
      },
    }),
    async (c) => {
      const [stats, usage] = await Promise.all([agentStats(db), agentUsageTotals(db)]);
      return c.json({ ...stats, usage_by_agent: usage }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/agents/{id}",
      tags: ["agents"],
      request: { params: IdParam },
      responses: { 200: jsonResponse(Agent, "The agent"), ...errorResponses(404, 422) },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const agent = await getAgent(db, id);
      if (!agent) throw notFound(`agent ${id}`);
      return c.json(agent, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/api/agents/{id}",
      tags: ["agents"],
      summary: "Update an agent (the original's route)",
      request: { params: IdParam, ...jsonBody(UpdateAgentBody) },
      responses: {
        200: jsonResponse(Agent, "The updated agent"),
        ...errorResponses(400, 403, 404, 409, 413, 422),
      },
    }),
    async (c) => {
      const principal = principalOf(c);
      requireAdmin(principal, "changing an agent");
      const { id } = c.req.valid("param");
      const { credentials, ...patch } = c.req.valid("json");
      if (patch.endpoint) await registry.checkEndpoint(patch.endpoint, "endpoint");
      // A name another agent has fails as the database's UniqueViolation: the error handler
      // answers it 409.
      const agent = await db.transaction().execute(async (trx) => {
        const agent = await updateAgent(trx, id, patch);
        if (agent && credentials !== undefined) {
          await setAgentCredential(trx, id, credentials && toCredential(credentials));
        }
        return agent;
      });
      if (!agent) throw notFound(`agent ${id}`);
      await appendAudit(db, {
        actor: actorOf(principal),
        action: "agent.updated",
        subject: `agent ${id}`,
        data: {
          name: agent.name,
          endpoint: agent.endpoint,
          ...(credentials !== undefined && { credentials_changed: true }),
        },
      });
      registry.changed();
      return c.json(agent, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/api/agents/{id}",
      tags: ["agents"],
      request: { params: IdParam },
      responses: {
        200: jsonResponse(AgentDeleted, "The agent was removed"),
        ...errorResponses(403, 404, 422),
      },
    }),
    async (c) => {
      const principal = principalOf(c);
      requireAdmin(principal, "removing an agent");
      const { id } = c.req.valid("param");
      if (!(await deleteAgent(db, id))) throw notFound(`agent ${id}`);
      await appendAudit(db, {
        actor: actorOf(principal),
        action: "agent.removed",
        subject: `agent ${id}`,
      });
      registry.changed();
      return c.json({ deleted: true as const, id }, 200);
    },
  );

  for (const method of ["get", "post"] as const) {
    app.openapi(
      createRoute({
        method,
        path: "/api/agents/{id}/health",
        tags: ["agents"],
        summary: "Check an agent now and record the outcome",
        request: { params: IdParam },
        responses: {
          200: jsonResponse(AgentHealth, "The outcome of the check, as recorded"),
          ...errorResponses(404, 422),
        },
      }),
      async (c) => {
        const { id } = c.req.valid("param");
        const agent = await registry.checkHealth(id);
        return c.json({
          agent_id: agent.id,
          name: agent.name,
          healthy: agent.status === "active",
          status: agent.status,
          last_seen_at: agent.last_seen_at,
          last_error: agent.last_error,
        }, 200);
      },
    );
  }
}
