/**
 * A person's part in a task without JavaScript: the approval and answer forms post here, the
 * orchestrator is told, and the browser goes back to the task's conversation.
 */
import type { Hono } from "hono";
import { readForm } from "./errors.tsx";
import type { OrchestratorClient } from "../orchestrator_client.ts";
import type { TaskView } from "../types.ts";

const backTo = (task: TaskView) =>
  `/sessions/${encodeURIComponent(task.session_id)}#task-${task.id}`;

export function mountTaskWaitRoutes(app: Hono, client: OrchestratorClient): void {
  app.post("/tasks/:id{[0-9]+}/approve", async (c) => {
    return c.redirect(backTo(await client.approveTask(Number(c.req.param("id")))), 303);
  });

  app.post("/tasks/:id{[0-9]+}/reject", async (c) => {
    const form = await readForm(c);
    const reason = String(form.reason ?? "").trim() || "rejected in the UI";
    return c.redirect(backTo(await client.rejectTask(Number(c.req.param("id")), reason)), 303);
  });

  app.post("/tasks/:id{[0-9]+}/input", async (c) => {
    const form = await readForm(c);
    const step = Number(form.step_number);
    const task = await client.answerTask(
      Number(c.req.param("id")),
      String(form.text ?? ""),
      Number.isInteger(step) && step > 0 ? step : undefined,
    );
    return c.redirect(backTo(task), 303);
  });
}
