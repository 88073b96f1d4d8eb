/** /api/tasks: create, list, get, cancel, and the live event stream. */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { streamSSE } from "hono/streaming";
import { FINISHED_TASK_STATUSES, getTask, listEvents, listTasks } from "@app/db";
import { notFound } from "@app/lib";
import type { OrchestratorDeps } from "../deps.ts";
import { CreateTaskBody, IdParam, jsonBody, ListTasksQuery, okJson } from "../schemas.ts";
import {
  agentNameMap,
  loadTaskView,
  submitTask,
  type TaskIntake,
  taskView,
} from "../task_service.ts";
import { rateLimit } from "../rate_limit.ts";

const TERMINAL_EVENTS = new Set(["task.completed", "task.failed", "task.cancelled"]);
const HEARTBEAT_MS = 15_000;
/** Without cross-process signals (SQLite), look at the log this often for other writers. */
const LOCAL_RECHECK_MS = 1_000;

export function mountTaskRoutes(
  app: OpenAPIHono,
  deps: OrchestratorDeps,
  intake?: TaskIntake,
): void {
  const { db, notifier } = deps;

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
      request: jsonBody(CreateTaskBody),
      responses: { 201: okJson("The task, its session and its plan") },
    }),
    async (c) => c.json(await submitTask(deps, c.req.valid("json"), intake), 201),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/tasks",
      tags: ["tasks"],
      summary: "Tasks, newest first; the next page's cursor is in the X-Next-Cursor header",
      request: { query: ListTasksQuery },
      responses: { 200: okJson("An array of tasks") },
    }),
    async (c) => {
      const query = c.req.valid("query");
      const page = await listTasks(db, query);
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
      responses: { 200: okJson("The task") },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const view = await loadTaskView(db, deps.agents, id);
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
      responses: { 200: okJson("The task after cancellation") },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const task = await deps.lifecycle.cancel(id);
      if (!task) throw notFound(`task ${id}`);
      return c.json(await loadTaskView(db, deps.agents, id), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/tasks/{id}/events",
      tags: ["tasks"],
      summary: "Server-Sent Events: the task's history (after Last-Event-ID), then live",
      request: { params: IdParam },
      responses: { 200: { description: "text/event-stream" } },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const task = await getTask(db, id);
      if (!task) throw notFound(`task ${id}`);
      const lastHeader = c.req.header("Last-Event-ID") ?? c.req.query("after");
      let lastId = lastHeader && /^\d+$/.test(lastHeader) ? Number(lastHeader) : 0;
      return streamSSE(c, async (stream) => {
        // A notification only says "look again"; the database says what happened.
        let dirty = true;
        let wake: (() => void) | undefined;
        const unsubscribe = notifier.subscribe("task_events", (payload) => {
          if (payload !== String(id) && payload !== "*") return;
          dirty = true;
          wake?.();
        });
        stream.onAbort(() => wake?.());
        const flush = async () => {
          let finished = false;
          for (const event of await listEvents(db, id, { afterId: lastId, limit: 500 })) {
            await stream.writeSSE({
              id: String(event.id),
              event: event.type,
              data: JSON.stringify({
                ...event.data,
                type: event.type,
                task_id: id,
                created_at: event.created_at,
              }),
            });
            lastId = event.id;
            finished ||= TERMINAL_EVENTS.has(event.type);
          }
          return finished;
        };
        try {
          while (!stream.aborted) {
            dirty = false;
            if (await flush()) break;
            const current = await getTask(db, id);
            if (!current || FINISHED_TASK_STATUSES.includes(current.status)) {
              await flush(); // it finished between the two reads
              break;
            }
            if (dirty) continue;
            const heartbeat = await new Promise<boolean>((resolve) => {
              const timer = setTimeout(
                () => resolve(true),
                notifier.crossProcess ? HEARTBEAT_MS : LOCAL_RECHECK_MS,
              );
              wake = () => {
                clearTimeout(timer);
                resolve(false);
              };
            });
            wake = undefined;
            // On a quiet stream, a comment keeps proxies from closing it; a missed
            // notification from another process is caught by the next look.
            if (heartbeat && !stream.aborted) await stream.write(": keep-alive\n\n");
          }
        } finally {
          unsubscribe();
        }
      });
    },
  );
}
