/** `/`: sessions, newest first, filtered by user; start a session (POST, then redirect). */
import type { Hono } from "hono";
import { readForm } from "./errors.tsx";
import { Layout } from "../components/layout.tsx";
import { Notice } from "../components/notice.tsx";
import { Time } from "../components/time.tsx";
import type { OrchestratorClient } from "../orchestrator_client.ts";
import { renderPage } from "../render.tsx";
import type { Session } from "../types.ts";
import { currentViewer } from "../viewer.ts";

function SessionsPage(
  { sessions, userId, error, signedInAs }: {
    sessions: Session[];
    userId: string;
    error?: string;
    /** The signed-in user: sessions start as them, no name asked. */
    signedInAs?: string;
  },
) {
  return (
    <Layout current="sessions">
      <h1>Sessions</h1>
      <Notice error={error} />
      <div class="grid-2">
        <form class="card" method="post" action="/sessions">
          <h2>Start a session</h2>
          {signedInAs
            ? (
              <div class="form-row">
                <span>
                  As <strong>{signedInAs}</strong>
                </span>
                <button type="submit">Start session</button>
              </div>
            )
            : (
              <>
                <label for="new-user">User</label>
                <div class="form-row">
                  <input
                    id="new-user"
                    name="user_id"
                    required
                    maxLength={200}
                    value={userId || ""}
                  />
                  <button type="submit">Start session</button>
                </div>
              </>
            )}
        </form>
        <form class="card" method="get" action="/" role="search">
          <h2>Filter</h2>
          <label for="filter-user">Sessions of user</label>
          <div class="form-row">
            <input id="filter-user" name="user_id" value={userId} maxLength={200} />
            <button type="submit" class="secondary">Filter</button>
            {userId && <a href="/">Show all</a>}
          </div>
        </form>
      </div>
      <h2>{userId ? `Sessions of ${userId}` : "All sessions"} ({sessions.length})</h2>
      {sessions.length === 0 ? <p class="muted">No sessions yet.</p> : (
        <ul class="session-list">
          {sessions.map((session) => (
            <li key={session.session_id} class="card session" data-session-id={session.session_id}>
              <a href={`/sessions/${encodeURIComponent(session.session_id)}`}>
                <code>{session.session_id}</code>
              </a>
              <dl class="facts facts-inline">
                <dt>User</dt>
                <dd>{session.user_id}</dd>
                <dt>Messages</dt>
                <dd>{session.message_count ?? 0}</dd>
                <dt>Started</dt>
                <dd>
                  <Time iso={session.created_at} />
                </dd>
                <dt>Last activity</dt>
                <dd>
                  <Time iso={session.last_activity ?? session.updated_at} />
                </dd>
              </dl>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

/** The signed-in user, when the orchestrator knows who is calling (not when it is open). */
function signedInUser(): string | undefined {
  const viewer = currentViewer();
  return viewer && viewer.via !== "open" ? viewer.user_id : undefined;
}

export function mountIndexRoutes(app: Hono, client: OrchestratorClient): void {
  app.get("/", async (c) => {
    const userId = (c.req.query("user_id") ?? "").trim();
    const sessions = await client.listSessions({ user_id: userId, limit: 100 });
    // Newest first, as the page promises (the API orders by last activity).
    sessions.sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id - a.id);
    return renderPage({
      title: "Sessions",
      body: (
        <SessionsPage
          sessions={sessions}
          userId={userId}
          error={c.req.query("error")}
          signedInAs={signedInUser()}
        />
      ),
    });
  });

  app.post("/sessions", async (c) => {
    const form = await readForm(c);
    const userId = signedInUser() ?? String(form.user_id ?? "").trim();
    if (!userId) return c.redirect(`/?error=${encodeURIComponent("Give a user name.")}`, 303);
    const session = await client.createSession(userId);
    return c.redirect(`/sessions/${encodeURIComponent(session.session_id)}`, 303);
  });
}
