/** `/sessions/{id}`: the conversation with live task cards; POST sends the next request. */
import type { Hono } from "hono";
import { readForm } from "./errors.tsx";
import { Layout } from "../components/layout.tsx";
import { Notice } from "../components/notice.tsx";
import { Time } from "../components/time.tsx";
import { UsageSummary } from "../components/usage_summary.tsx";
import { conversationItems } from "../conversation.ts";
import { Island } from "../island.tsx";
import Conversation from "../islands/conversation.tsx";
import type { OrchestratorClient } from "../orchestrator_client.ts";
import { renderPage } from "../render.tsx";
import { forIsland } from "../types.ts";
import { nameSessions } from "../session_names.ts";

/** Tasks shown with their steps; older ones still appear as messages. */
const TASKS_SHOWN = 30;

export function mountSessionRoutes(app: Hono, client: OrchestratorClient): void {
  app.get("/sessions/:id", async (c) => {
    const sessionId = c.req.param("id");
    const [session, summaries] = await Promise.all([
      client.getSession(sessionId),
      client.listTasks({ session_id: sessionId, limit: TASKS_SHOWN }),
    ]);
    const tasks = await Promise.all(
      summaries.map(async (task) => forIsland(await client.getTask(task.id))),
    );
    const items = conversationItems(session.messages, tasks);
    // Named after its first request, as the chat's list names it.
    const [{ name }] = nameSessions([session], [...summaries]);
    return renderPage({
      title: name,
      body: (
        <Layout current="chat">
          <nav aria-label="Breadcrumb" class="breadcrumb">
            <a href="/">Chat</a> / <span>{sessionId}</span>
          </nav>
          <h1 class="session-title">{name}</h1>
          <p class="muted">
            <code>{session.session_id}</code> · user <strong>{session.user_id}</strong> · started
            {" "}
            <Time iso={session.created_at} /> <UsageSummary usage={session.usage} label="· spent" />
          </p>
          <Notice error={c.req.query("error")} />
          <Island
            name="conversation"
            component={Conversation}
            props={{ sessionId: session.session_id, userId: session.user_id, items }}
          />
        </Layout>
      ),
    });
  });

  app.post("/sessions/:id/tasks", async (c) => {
    const sessionId = c.req.param("id");
    const back = `/sessions/${encodeURIComponent(sessionId)}`;
    const form = await readForm(c);
    const description = String(form.description ?? "").trim();
    if (!description) {
      return c.redirect(`${back}?error=${encodeURIComponent("Write a request.")}`, 303);
    }
    const session = await client.getSession(sessionId);
    const task = await client.createTask({
      description,
      session_id: sessionId,
      user_id: session.user_id,
      ...(form.require_approval === "true" && { require_approval: true }),
    });
    return c.redirect(`${back}#task-${task.task_id}`, 303);
  });
}
