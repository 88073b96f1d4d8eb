/** /api/tasks: create, list, get, cancel, and the live event stream. */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { streamSSE } from "hono/streaming";
import { getSession, listTasks } from "@app/db";
import { notFound } from "@app/lib";
import { CreatedTask, TaskEventMessage, TaskView } from "@app/lib/api_contract";
import { DEFAULT_WEBHOOK_EVENTS } from "@app/lib/task_events";
import type { OrchestratorDeps } from "../deps.ts";
import {
  CreateTaskBody,
  errorResponses,
  EventsQuery,
  IdParam,
  jsonBody,
  jsonResponse,
  ListTasksQuery,
} from "../schemas.ts";
import {
  agentNameMap,
  loadTaskView,
  type SubmitOptions,
  submitTask,
  type TaskIntake,
  taskView,
} from "../task_service.ts";
import { rateLimit } from "../rate_limit.ts";
import { IdempotencyHeaders, idempotentSubmissions } from "../idempotency.ts";
import { checkOutboundUrl, OutboundRefused } from "../outbound/guarded_fetch.ts";
import { refusedAt } from "../registry.ts";
import { actorOf, ownerFilter, ownerFor, visibleSession, visibleTask } from "../access.ts";
import { principalOf } from "../auth/principal.ts";
import { taskEventStream } from "../task_event_stream.ts";
import { PreferHeader, preferredWaitSeconds } from "../prefer_wait.ts";
import { TaskSignals, waitForTaskEnd } from "../task_waiter.ts";
import { settleBusySession } from "../busy_sessions.ts";

export function mountTaskRoutes(
  app: OpenAPIHono,
  deps: OrchestratorDeps,
  intake?: TaskIntake,
): void {
  const { db } = deps;
  const idempotent = idempotentSubmissions({
    db,
    ttlMs: deps.config.IDEMPOTENCY_TTL_MS,
    logger: deps.logger,
  });

  app.use(
    "/api/tasks",
    rateLimit({ perMinute: deps.config.RATE_LIMIT_PER_MINUTE, methods: ["POST"] }),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/tasks",
      tags: ["tasks"],
      summary: "Submit a task in plain language; it is planned now and run in the background",
      request: {
        ...jsonBody(CreateTaskBody),
        headers: IdempotencyHeaders.extend(PreferHeader.shape),
      },
      responses: {
        201: {
          ...jsonResponse(
            z.union([CreatedTask, TaskView]),
            "The task, its session and its plan; with `Prefer: wait`, the finished task",
          ),
          headers: {
            "Idempotent-Replayed": {
              description: "`true` when this is the stored response of an earlier request " +
                "with the same Idempotency-Key",
              schema: { type: "string" },
            },
            "Preference-Applied": {
              description: "`wait=N` when the request's `Prefer: wait` was honoured",
              schema: { type: "string" },
            },
          },
        },
        202: jsonResponse(
          TaskView,
          "With `Prefer: wait=N`: the task had not ended after N seconds, or waits on a person " +
            "(approval, a question); here it is as it stands",
        ),
        // 409: also a busy session with `if_busy: "reject"`.
        ...errorResponses(400, 409, 413, 422, 429),
      },
    }),
    async (c) => {
      const principal = principalOf(c);
      const { webhook, if_busy, ...body } = c.req.valid("json");
      const user_id = ownerFor(principal, body.user_id);
      // A session named must be one the caller may see; one that does not exist yet is new.
      if (body.session_id && await getSession(db, body.session_id)) {
        await visibleSession(db, principal, body.session_id);
      }
      const defaultBudget = deps.config.DEFAULT_TASK_BUDGET_TOKENS;
      const request = {
        ...body,
        user_id,
        actor: actorOf(principal),
        budget: body.budget ?? (defaultBudget ? { max_tokens: defaultBudget } : undefined),
        require_approval: body.require_approval ?? deps.config.REQUIRE_PLAN_APPROVAL,
      };
      if (webhook) {
        // An address the outbound guard refuses is refused now (a host that does not resolve
        // yet is judged at each delivery).
        await checkOutboundUrl(new URL(webhook.url), {
          allowPrivate: deps.config.OUTBOUND_ALLOW_PRIVATE,
          allowlist: deps.config.OUTBOUND_ALLOWLIST,
        }).catch((error) => {
          if (error instanceof OutboundRefused) throw refusedAt("webhook.url", error);
        });
      }
      // The task's own webhook, and WEBHOOK_URL's for every task.
      const webhooks = [
        ...(webhook ? [webhook] : []),
        ...(deps.config.WEBHOOK_URL
          ? [{ url: deps.config.WEBHOOK_URL, events: DEFAULT_WEBHOOK_EVENTS }]
          : []),
      ];
      const headers = c.req.valid("header");
      const waitS = preferredWaitSeconds(headers.prefer);
      /**
       * The created task, or with `Prefer: wait` the task once ended (201) or as it stands.
       * `signals`, opened before its submit, lets the wait skip reading it as just stored.
       */
      const answer = async (created: CreatedTask, signals?: TaskSignals) => {
        if (waitS === undefined) return c.json(created, 201);
        c.header("Preference-Applied", `wait=${waitS}`);
        const { outcome, head } = await waitForTaskEnd(
          deps,
          created.task_id,
          waitS * 1000,
          signals && { status: created.status, signals },
        );
        // An ended task's head, as the wait read it, is final: only its steps are read again.
        const final = outcome === "ended" ? head : undefined;
        const view = await loadTaskView(
          db,
          deps.agents,
          created.task_id,
          undefined,
          undefined,
          final,
        );
        if (!view) throw notFound(`task ${created.task_id}`); // deleted with its session meanwhile
        return outcome === "ended" ? c.json(view, 201) : c.json(view, 202);
      };
      const key = headers["idempotency-key"];
      const settle = async () => {
        const { queued } = await settleBusySession(
          deps,
          body.session_id,
          if_busy ?? "parallel",
          request.actor,
        );
        return { ...request, queued };
      };
      /**
       * Submits (`release` undoes the idempotency key's claim if that fails) and answers,
       * hearing the task's signals from before it is stored when it will be waited on.
       */
      const submit = async (options: SubmitOptions, release?: () => Promise<void>) => {
        const signals = waitS === undefined ? undefined : new TaskSignals(deps.notifier);
        try {
          let created: CreatedTask;
          try {
            created = await submitTask(deps, await settle(), intake, {
              ...options,
              onStored: signals && (() => signals.stored()),
            });
          } catch (error) {
            await release?.().catch(() => {});
            throw error;
          }
          return await answer(created, signals);
        } finally {
          signals?.close();
        }
      };
      if (key === undefined) return submit({ webhooks });
      const start = await idempotent(c, key, c.req.valid("json"));
      if (start.kind === "replay") {
        c.header("Idempotent-Replayed", "true");
        return answer(start.response as CreatedTask);
      }
      return submit({ idempotencyKey: start.key, webhooks }, start.release);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/tasks",
      tags: ["tasks"],
      summary: "Tasks, newest first; the next page's cursor is in the X-Next-Cursor header",
      request: { query: ListTasksQuery },
      responses: {
        200: jsonResponse(z.array(TaskView), "An array of tasks (their steps left empty)"),
        ...errorResponses(422),
      },
    }),
    async (c) => {
      const query = c.req.valid("query");
      const page = await listTasks(db, { ...query, owner: ownerFilter(principalOf(c)) });
      if (page.nextCursor) c.header("X-Next-Cursor", page.nextCursor);
      const names = await agentNameMap(deps.agents);
      return c.json(page.tasks.map((task) => taskView(task, [], names)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/tasks/{id}",
      tags: ["tasks"],
      summary: "A task with its plan, steps and result",
      request: { params: IdParam },
      responses: { 200: jsonResponse(TaskView, "The task"), ...errorResponses(404, 422) },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const view = await loadTaskView(
        db,
        deps.agents,
        id,
        ownerFilter(principalOf(c)),
        deps.config.TRACE_URL_TEMPLATE,
      );
      if (!view) throw notFound(`task ${id}`);
      return c.json(view, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/tasks/{id}/cancel",
      tags: ["tasks"],
      summary: "Cancel a task; running agent calls are aborted",
      request: { params: IdParam },
      responses: {
        200: jsonResponse(TaskView, "The task after cancellation"),
        ...errorResponses(404, 422),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const principal = principalOf(c);
      await visibleTask(db, principal, id);
      const task = await deps.lifecycle.cancel(id, actorOf(principal));
      const view = task &&
        await loadTaskView(db, deps.agents, id, undefined, deps.config.TRACE_URL_TEMPLATE);
      if (!view) throw notFound(`task ${id}`);
      return c.json(view, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/tasks/{id}/events",
      tags: ["tasks"],
      summary: "Server-Sent Events: the task's history (after Last-Event-ID), then live",
      description: "Each message's `event` is its type, `id` its id in the task's log, and " +
        "`data` the event as JSON. The stream ends after the task's terminal event " +
        "(task.completed, task.failed or task.cancelled); `: keep-alive` comments keep a " +
        "quiet stream open.",
      request: { params: IdParam, query: EventsQuery },
      responses: {
        200: {
          description: "text/event-stream of task events",
          content: { "text/event-stream": { schema: TaskEventMessage } },
        },
        ...errorResponses(404),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      await visibleTask(db, principalOf(c), id);
      const after = c.req.header("Last-Event-ID") ?? c.req.valid("query").after;
      const afterId = after && /^\d+$/.test(after) ? Number(after) : 0;
      return streamSSE(c, async (stream) => {
        const gone = new AbortController();
        stream.onAbort(() => gone.abort());
        const events = taskEventStream(deps, id, { afterId, signal: gone.signal });
        for await (const item of events) {
          if (item.kind === "heartbeat") {
            await stream.write(": keep-alive\n\n");
            continue;
          }
          await stream.writeSSE({
            id: item.id === null ? undefined : String(item.id),
            event: item.message.type,
            data: JSON.stringify(item.message),
          });
        }
      });
    },
  );
}
