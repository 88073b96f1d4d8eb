/** /api/sessions: sessions and their conversation, with the original's query-string form. */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import {
  addMessage,
  appendAudit,
  createSession,
  deleteSession,
  listMessages,
  listSessions,
  sessionActivities,
  sessionActivity,
  sessionUsageTotals,
} from "@app/db";
import { notFound, unprocessable } from "@app/lib";
import { Message, Session, SessionDeleted, SessionDetail } from "@app/lib/api_contract";
import type { OrchestratorDeps } from "../deps.ts";
import { actorOf, ownerFilter, ownerFor, visibleSession, visibleTask } from "../access.ts";
import { principalOf } from "../auth/principal.ts";
import {
  AddMessageBody,
  CreateSessionBody,
  CreateSessionQuery,
  errorResponses,
  jsonResponse,
  ListMessagesQuery,
  ListSessionsQuery,
  SessionIdParam,
} from "../schemas.ts";

export function mountSessionRoutes(app: OpenAPIHono, deps: OrchestratorDeps): void {
  const { db } = deps;

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/sessions",
      tags: ["sessions"],
      summary: "Start a session: {user_id, metadata?} in the body, or ?user_id= as the original",
      request: {
        query: CreateSessionQuery,
        body: { content: { "application/json": { schema: CreateSessionBody } }, required: false },
      },
      responses: {
        201: jsonResponse(Session, "The session (no messages yet)"),
        ...errorResponses(400, 413, 422),
      },
    }),
    async (c) => {
      const query = c.req.valid("query");
      const body = c.req.valid("json") ?? {};
      const principal = principalOf(c);
      const requested = body.user_id ?? query.user_id;
      if (!requested && principal.via === "open") {
        throw unprocessable("user_id", "give user_id in the body or the query string");
      }
      const session = await db.transaction().execute(async (trx) => {
        const session = await createSession(trx, {
          user_id: ownerFor(principal, requested),
          metadata: body.metadata ?? {},
        });
        await appendAudit(trx, {
          actor: actorOf(principal),
          action: "session.created",
          subject: `session ${session.session_id}`,
          data: { user_id: session.user_id },
        });
        return session;
      });
      return c.json({ ...session, message_count: 0, last_activity: null }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/sessions",
      tags: ["sessions"],
      summary: "Sessions, most recently active first (X-Next-Cursor header for the next page)",
      request: { query: ListSessionsQuery },
      responses: {
        200: jsonResponse(z.array(Session), "An array of sessions, most recently active first"),
        ...errorResponses(422),
      },
    }),
    async (c) => {
      const query = c.req.valid("query");
      const page = await listSessions(db, { ...query, owner: ownerFilter(principalOf(c)) });
      if (page.nextCursor) c.header("X-Next-Cursor", page.nextCursor);
      const activity = await sessionActivities(db, page.sessions.map((s) => s.session_id));
      return c.json(
        page.sessions.map((session) => ({ ...session, ...activity.get(session.session_id)! })),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/sessions/{session_id}",
      tags: ["sessions"],
      summary: "A session with message_count, last_activity and its messages",
      request: { params: SessionIdParam },
      responses: {
        200: jsonResponse(SessionDetail, "The session with its messages"),
        ...errorResponses(404, 422),
      },
    }),
    async (c) => {
      const { session_id } = c.req.valid("param");
      const session = await visibleSession(db, principalOf(c), session_id);
      const [activity, messages, usage] = await Promise.all([
        sessionActivity(db, session_id),
        listMessages(db, session_id, { last: 200 }),
        sessionUsageTotals(db, session_id),
      ]);
      return c.json({ ...session, ...activity, messages, usage }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/api/sessions/{session_id}",
      tags: ["sessions"],
      summary: "Delete a session with its messages and tasks",
      request: { params: SessionIdParam },
      responses: {
        200: jsonResponse(SessionDeleted, "The session was removed"),
        ...errorResponses(404, 422),
      },
    }),
    async (c) => {
      const { session_id } = c.req.valid("param");
      const principal = principalOf(c);
      if (!(await deleteSession(db, session_id, ownerFilter(principal)))) {
        throw notFound(`session ${session_id}`);
      }
      await appendAudit(db, {
        actor: actorOf(principal),
        action: "session.deleted",
        subject: `session ${session_id}`,
      });
      return c.json({ deleted: true as const, session_id }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/sessions/{session_id}/messages",
      tags: ["sessions"],
      request: {
        params: SessionIdParam,
        body: { content: { "application/json": { schema: AddMessageBody } }, required: true },
      },
      responses: {
        201: jsonResponse(Message, "The message"),
        ...errorResponses(400, 404, 413, 422),
      },
    }),
    async (c) => {
      const { session_id } = c.req.valid("param");
      const principal = principalOf(c);
      await visibleSession(db, principal, session_id);
      const body = c.req.valid("json");
      // A user may point a message only at a task of their own.
      if (body.task_id !== undefined && ownerFilter(principal) !== undefined) {
        await visibleTask(db, principal, body.task_id);
      }
      const message = await addMessage(db, {
        session_id,
        role: body.role,
        content: body.content,
        task_id: body.task_id,
        metadata: body.metadata ?? {},
      });
      return c.json(message, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/sessions/{session_id}/messages",
      tags: ["sessions"],
      summary: "The conversation, oldest first (?limit= keeps the most recent)",
      request: { params: SessionIdParam, query: ListMessagesQuery },
      responses: {
        200: jsonResponse(z.array(Message), "An array of messages, oldest first"),
        ...errorResponses(404, 422),
      },
    }),
    async (c) => {
      const { session_id } = c.req.valid("param");
      await visibleSession(db, principalOf(c), session_id);
      const { limit } = c.req.valid("query");
      return c.json(await listMessages(db, session_id, { last: limit }), 200);
    },
  );
}
