/** /api/keys (admins: users' keys), /api/me (who am I), /api/audit (admins: who changed what). */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { listApiKeys, listAudit } from "@app/db";
import { notFound } from "@app/lib";
import { ApiKey, ApiKeyRevoked, AuditEvent, CreatedApiKey, Me } from "@app/lib/api_contract";
import type { OrchestratorDeps } from "../deps.ts";
import { actorOf, requireAdmin } from "../access.ts";
import { principalOf } from "../auth/principal.ts";
import { createKey, revokeKey } from "../auth/key_service.ts";
import {
  AuditQuery,
  CreateKeyBody,
  errorResponses,
  IdParam,
  jsonBody,
  jsonResponse,
} from "../schemas.ts";

export function mountKeyRoutes(app: OpenAPIHono, deps: OrchestratorDeps): void {
  const { db } = deps;

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/me",
      tags: ["access"],
      summary: "Who the caller is, as authenticated",
      responses: { 200: jsonResponse(Me, "The caller"), ...errorResponses() },
    }),
    (c) => {
      const { user_id, role, via } = principalOf(c);
      return c.json({ user_id, role, via }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/keys",
      tags: ["access"],
      summary: "Create a key for a user (admins); the key is shown in this answer only",
      request: jsonBody(CreateKeyBody),
      responses: {
        201: jsonResponse(CreatedApiKey, "The key, shown once"),
        ...errorResponses(400, 403, 413, 422),
      },
    }),
    async (c) => {
      const principal = principalOf(c);
      requireAdmin(principal, "creating a key");
      const body = c.req.valid("json");
      const created = await createKey(db, { ...body, actor: actorOf(principal) });
      deps.auth.keysChanged();
      return c.json(created, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/keys",
      tags: ["access"],
      summary: "Every key (admins), revoked ones included; never the keys themselves",
      responses: {
        200: jsonResponse(z.array(ApiKey), "The keys, oldest first"),
        ...errorResponses(403),
      },
    }),
    async (c) => {
      requireAdmin(principalOf(c), "listing keys");
      return c.json(await listApiKeys(db), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/api/keys/{id}",
      tags: ["access"],
      summary: "Revoke a key (admins): it stops working at once",
      request: { params: IdParam },
      responses: {
        200: jsonResponse(ApiKeyRevoked, "The key was revoked"),
        ...errorResponses(403, 404, 422),
      },
    }),
    async (c) => {
      const principal = principalOf(c);
      requireAdmin(principal, "revoking a key");
      const { id } = c.req.valid("param");
      if (!(await revokeKey(db, id, actorOf(principal)))) throw notFound(`active key ${id}`);
      deps.auth.keysChanged();
      return c.json({ revoked: true as const, id }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/audit",
      tags: ["access"],
      summary: "Changes to agents, keys and sessions, and who made them (admins), newest first",
      request: { query: AuditQuery },
      responses: {
        200: jsonResponse(z.array(AuditEvent), "The audit log, newest first"),
        ...errorResponses(403, 422),
      },
    }),
    async (c) => {
      requireAdmin(principalOf(c), "reading the audit log");
      return c.json(await listAudit(db, c.req.valid("query")), 200);
    },
  );
}
