/**
 * `/`: chat first. The request box with examples from the agents' capabilities, then the
 * conversations, named after their first request (?q= searches them). The no-JavaScript forms:
 * POST /chat (session + first task), POST /sessions (an empty session), POST
 * /sessions/{id}/delete.
 */
import type { Context, Hono } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { readForm } from "./errors.tsx";
import { exampleRequests } from "../examples.ts";
import { Layout } from "../components/layout.tsx";
import { Notice } from "../components/notice.tsx";
import { Island } from "../island.tsx";
import Home, { USER_COOKIE } from "../islands/home.tsx";
import type { OrchestratorClient } from "../orchestrator_client.ts";
import { renderPage } from "../render.tsx";
import { requestTooLong } from "../request_limit.ts";
import { nameSessions, searchSessions } from "../session_names.ts";
import { currentViewer } from "../viewer.ts";

/** The signed-in user, when the orchestrator knows who is calling (not when it is open). */
function signedInUser(): string | undefined {
  const viewer = currentViewer();
  return viewer && viewer.via !== "open" ? viewer.user_id : undefined;
}

/** Who requests are sent as: the signed-in user, else the name this browser gave before. */
function knownUser(c: Context): string | undefined {
  return signedInUser() ?? (getCookie(c, USER_COOKIE)?.trim().slice(0, 200) || undefined);
}

const back = (error: string) => `/?error=${encodeURIComponent(error)}`;

export function mountIndexRoutes(app: Hono, client: OrchestratorClient): void {
  app.get("/", async (c) => {
    const query = (c.req.query("q") ?? "").trim();
    const [sessions, tasks, agents] = await Promise.all([
      client.listSessions({ user_id: c.req.query("user_id")?.trim(), limit: 100 }),
      client.listTasks({ limit: 500 }),
      client.listAgents(),
    ]);
    const capabilities = agents.filter((agent) => agent.status !== "error")
      .flatMap((agent) => agent.capabilities);
    const named = searchSessions(nameSessions(sessions, tasks), query)
      .sort((a, b) => b.last_activity.localeCompare(a.last_activity));
    return renderPage({
      title: "Chat",
      body: (
        <Layout current="chat">
          <Notice error={c.req.query("error")} />
          <Island
            name="home"
            component={Home}
            props={{
              userId: knownUser(c) ?? null,
              examples: exampleRequests(capabilities),
              sessions: named,
              query,
              now: Date.now(),
            }}
          />
        </Layout>
      ),
    });
  });

  app.post("/chat", async (c) => {
    const form = await readForm(c);
    const userId = knownUser(c) ?? String(form.user_id ?? "").trim();
    const description = String(form.description ?? "").trim();
    if (!userId) return c.redirect(back("Give your name."), 303);
    if (!description) return c.redirect(back("Write a request."), 303);
    const tooLong = requestTooLong(description);
    if (tooLong) return c.redirect(back(tooLong), 303);
    const session = await client.createSession(userId);
    if (!signedInUser()) {
      setCookie(c, USER_COOKIE, userId, { path: "/", maxAge: 31_536_000, sameSite: "Lax" });
    }
    const task = await client.createTask({
      description,
      session_id: session.session_id,
      user_id: userId,
      ...(form.require_approval === "true" && { require_approval: true }),
    });
    return c.redirect(
      `/sessions/${encodeURIComponent(session.session_id)}#task-${task.task_id}`,
      303,
    );
  });

  app.post("/sessions", async (c) => {
    const form = await readForm(c);
    const userId = knownUser(c) ?? String(form.user_id ?? "").trim();
    if (!userId) return c.redirect(back("Give a user name."), 303);
    const session = await client.createSession(userId);
    return c.redirect(`/sessions/${encodeURIComponent(session.session_id)}`, 303);
  });

  app.post("/sessions/:id/delete", async (c) => {
    await client.deleteSession(c.req.param("id"));
    return c.redirect("/", 303);
  });
}
