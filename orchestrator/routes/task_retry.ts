/**
 * POST /api/tasks/{id}/retry: run a failed or cancelled task again from the step that stopped
 * it, re-using the completed steps' outputs (the lifecycle's `retry` transition). The owner (or
 * an admin) only; a task in any other state, or one that never ran a step (a rejected plan),
 * is a 409.
 */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { getTaskSteps } from "@app/db";
import { conflict, notFound } from "@app/lib";
import { TaskView } from "@app/lib/api_contract";
import { TASK_TRANSITIONS } from "@app/lib/task_transitions";
import type { OrchestratorDeps } from "../deps.ts";
import { actorOf, visibleTask } from "../access.ts";
import { principalOf } from "../auth/principal.ts";
import { errorResponses, IdParam, jsonResponse } from "../schemas.ts";
import { loadTaskView } from "../task_service.ts";

export function mountTaskRetryRoute(app: OpenAPIHono, deps: OrchestratorDeps): void {
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/tasks/{id}/retry",
      tags: ["tasks"],
      summary: "Run a failed or cancelled task again from its failed step",
      description: "Its failed, skipped and cancelled steps are queued again; completed steps " +
        "keep their outputs and are not rerun. `task.retried` names the steps queued.",
      request: { params: IdParam },
      responses: {
        200: jsonResponse(TaskView, "The task, queued again"),
        ...errorResponses(404, 409, 422),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const principal = principalOf(c);
      const task = await visibleTask(deps.db, principal, id);
      // Nothing ran (a rejected plan, a task cancelled while queued): a retry would skip the
      // approval it waited for; the request is sent again instead.
      const steps = await getTaskSteps(deps.db, id);
      if (!steps.some((step) => step.started_at !== null)) {
        throw conflict(`task ${id} never ran a step; send its request again instead`);
      }
      const { retried } = await deps.lifecycle.retry(id, actorOf(principal));
      if (!retried) {
        throw conflict(
          `task ${id} is ${task.status}; only a ${
            TASK_TRANSITIONS.retry.from.join(" or ")
          } task can be retried`,
        );
      }
      const view = await loadTaskView(deps.db, deps.agents, id);
      if (!view) throw notFound(`task ${id}`);
      return c.json(view, 200);
    },
  );
}
