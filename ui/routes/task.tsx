/** `/tasks/{id}`: the plan as a timeline with every step's input and output; cancel. */
import type { Hono } from "hono";
import { Layout } from "../components/layout.tsx";
import { Time } from "../components/time.tsx";
import { Island } from "../island.tsx";
import TaskTimeline from "../islands/task_timeline.tsx";
import type { OrchestratorClient } from "../orchestrator_client.ts";
import { renderPage } from "../render.tsx";
import { forIsland } from "../types.ts";

export function mountTaskRoutes(app: Hono, client: OrchestratorClient): void {
  app.get("/tasks/:id{[0-9]+}", async (c) => {
    const task = await client.getTask(Number(c.req.param("id")));
    const session = `/sessions/${encodeURIComponent(task.session_id)}`;
    return renderPage({
      title: `Task #${task.id}`,
      body: (
        <Layout current="chat">
          <nav aria-label="Breadcrumb" class="breadcrumb">
            <a href="/">Chat</a> / <a href={session}>{task.session_id}</a> /{" "}
            <span>Task #{task.id}</span>
          </nav>
          <h1>Task #{task.id}</h1>
          <p class="lead">{task.description}</p>
          <p class="muted">
            Created <Time iso={task.created_at} />
            {task.completed_at && (
              <>
                {" "}· finished <Time iso={task.completed_at} />
              </>
            )}
          </p>
          <Island name="task_timeline" component={TaskTimeline} props={{ task: forIsland(task) }} />
        </Layout>
      ),
    });
  });

  app.post("/tasks/:id{[0-9]+}/cancel", async (c) => {
    const id = Number(c.req.param("id"));
    await client.cancelTask(id);
    return c.redirect(`/tasks/${id}`, 303);
  });

  app.post("/tasks/:id{[0-9]+}/retry", async (c) => {
    const id = Number(c.req.param("id"));
    await client.retryTask(id);
    return c.redirect(`/tasks/${id}`, 303);
  });
}
