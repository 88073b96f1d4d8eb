/**
 * A person's part in a task (issue 15): approving or rejecting its plan, answering its agent's
 * question. Each checks the task waits for it (409 otherwise) and goes through the lifecycle;
 * the task then runs on whichever process claims it.
 */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { type Task, waits } from "@app/db";
import { conflict, notFound, unprocessable } from "@app/lib";
import { TaskView } from "@app/lib/api_contract";
import type { OrchestratorDeps } from "../deps.ts";
import { errorResponses, IdParam, jsonResponse } from "../schemas.ts";
import { loadTaskView } from "../task_service.ts";
import { actorOf, visibleTask } from "../access.ts";
import { principalOf } from "../auth/principal.ts";
import { checkEditedPlan, EditedPlan } from "../plan_edit.ts";
import type { Plan } from "../plan.ts";

const text = (max: number) =>
  z.string().max(max).refine((s) => !s.includes("\u0000"), "must not contain NUL characters");

const ApproveBody = z.object({
  plan: EditedPlan.optional().openapi({
    description: "the plan edited (steps removed, added, reordered, re-described, another " +
      "agent); left out, the proposed plan is approved as it is",
  }),
}).openapi("ApprovePlan", {
  example: { plan: { steps: [{ description: "Research solar power", capability: "research" }] } },
});

const RejectBody = z.object({
  reason: text(2_000).trim().min(1, "must not be empty").default("rejected"),
}).openapi("RejectPlan", { example: { reason: "Too broad; ask about 2026 only" } });

const InputBody = z.object({
  text: text(20_000).trim().min(1, "must not be empty"),
  step_number: z.number().int().positive().optional().openapi({
    description: "the waiting step answered; may be left out when only one waits",
  }),
}).openapi("StepInput", { example: { text: "Solar panels in Germany", step_number: 1 } });

const optionalJson = <T extends z.ZodType>(schema: T) => ({
  body: { content: { "application/json": { schema } }, required: false },
});

function mustWait(task: Task, status: Task["status"], what: string): void {
  if (task.status !== status) {
    throw conflict(`task ${task.id} is ${task.status}, not waiting for ${what}`);
  }
}

export function mountTaskWaitRoutes(app: OpenAPIHono, deps: OrchestratorDeps): void {
  const { db, lifecycle } = deps;
  const view = async (id: number) => {
    const found = await loadTaskView(db, deps.agents, id);
    if (!found) throw notFound(`task ${id}`);
    return found;
  };

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/tasks/{id}/approve",
      tags: ["tasks"],
      summary: "Approve a plan awaiting approval, as proposed or edited; the task then runs",
      request: { params: IdParam, ...optionalJson(ApproveBody) },
      responses: {
        200: jsonResponse(TaskView, "The task, approved"),
        ...errorResponses(404, 409, 422),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const principal = principalOf(c);
      const task = await visibleTask(db, principal, id);
      mustWait(task, "awaiting_approval", "approval");
      const body = c.req.valid("json") ?? {};
      const proposed = task.plan as unknown as Plan;
      const approved = body.plan
        ? checkEditedPlan(body.plan, await deps.agents(), proposed.planner ?? "deterministic")
        : undefined;
      const done = await lifecycle.approve(
        id,
        approved ? { plan: approved.plan as never, steps: approved.steps } : { plan: task.plan },
        actorOf(principal),
      );
      if (!done) throw conflict(`task ${id} is no longer waiting for approval`);
      return c.json(await view(id), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/tasks/{id}/reject",
      tags: ["tasks"],
      summary: "Reject a plan awaiting approval: the task ends cancelled with the reason",
      request: { params: IdParam, ...optionalJson(RejectBody) },
      responses: {
        200: jsonResponse(TaskView, "The task, cancelled"),
        ...errorResponses(404, 409, 422),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const principal = principalOf(c);
      const task = await visibleTask(db, principal, id);
      mustWait(task, "awaiting_approval", "approval");
      const reason = c.req.valid("json")?.reason ?? "rejected";
      if (!(await lifecycle.reject(task, reason, { actor: actorOf(principal) }))) {
        throw conflict(`task ${id} is no longer waiting for approval`);
      }
      return c.json(await view(id), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/tasks/{id}/input",
      tags: ["tasks"],
      summary: "Answer the question a step's agent asked; the step goes on in the same A2A task",
      request: {
        params: IdParam,
        body: { content: { "application/json": { schema: InputBody } }, required: true },
      },
      responses: {
        200: jsonResponse(TaskView, "The task, its answer on its way"),
        ...errorResponses(404, 409, 422),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const principal = principalOf(c);
      const task = await visibleTask(db, principal, id);
      const body = c.req.valid("json");
      mustWait(task, "input_required", "input");
      const waiting = await waits.waitingSteps(db, id);
      if (!waiting.length) throw conflict(`no step of task ${id} waits for input`);
      let stepNumber = body.step_number;
      if (stepNumber === undefined) {
        if (waiting.length > 1) {
          throw unprocessable(
            "step_number",
            `steps ${waiting.join(", ")} wait for input: say which one this answers`,
          );
        }
        stepNumber = waiting[0];
      } else if (!waiting.includes(stepNumber)) {
        throw conflict(`step ${stepNumber} of task ${id} is not waiting for input`);
      }
      if (!(await lifecycle.answer(task, stepNumber, body.text, actorOf(principal)))) {
        throw conflict(`step ${stepNumber} of task ${id} is no longer waiting for input`);
      }
      return c.json(await view(id), 200);
    },
  );
}
