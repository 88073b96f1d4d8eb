/**
 * The home page's island, chat first: the request box (focused) with examples from what the
 * agents can do; sending creates the session and its first task and opens the session. The
 * user's name is asked once, then remembered in a cookie (not at all when signed in). Below,
 * the sessions, named after their first request, searchable and deletable.
 * Without JavaScript the same forms post to the server.
 */
import { useState } from "preact/hooks";
import type { JSX } from "preact";
import { RelativeTime } from "../components/relative_time.tsx";
import { ApprovalOption } from "../components/approval_option.tsx";
import { RequestBox } from "../components/request_box.tsx";
import { api } from "../client/api.ts";
import { requestTooLong } from "../request_limit.ts";
import { type NamedSession, searchSessions } from "../session_names.ts";
import type { CreatedTask, Session } from "../types.ts";

export const USER_COOKIE = "ui_user";

export interface HomeProps {
  /** The name requests are sent as, if known (signed in, or remembered). */
  userId: string | null;
  examples: string[];
  sessions: NamedSession[];
  query: string;
  /** The server's clock when rendering, so relative times hydrate unchanged. */
  now: number;
}

function remember(name: string) {
  document.cookie = `${USER_COOKIE}=${
    encodeURIComponent(name)
  }; path=/; max-age=31536000; samesite=lax`;
}

export default function Home({ userId, examples, sessions: initial, query, now }: HomeProps) {
  const [draft, setDraft] = useState("");
  const [name, setName] = useState("");
  const [sending, setSending] = useState(false);
  const [approve, setApprove] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [search, setSearch] = useState(query);
  const [sessions, setSessions] = useState(initial);

  async function send(event: JSX.TargetedEvent<HTMLFormElement>) {
    event.preventDefault();
    // "Start session" (an empty conversation) is the same form's other button.
    const empty = (event as unknown as SubmitEvent).submitter?.dataset.empty === "true";
    const description = draft.trim();
    const user = userId ?? name.trim();
    if (!user) return setError("Give your name.");
    if ((!description && !empty) || sending || requestTooLong(description)) return;
    setSending(true);
    setError(null);
    try {
      const session = await api<Session>("/api/sessions", {
        method: "POST",
        json: { user_id: user },
      });
      if (!userId) remember(user);
      if (empty) return location.assign(`/sessions/${encodeURIComponent(session.session_id)}`);
      const task = await api<CreatedTask>("/api/tasks", {
        method: "POST",
        json: {
          description,
          session_id: session.session_id,
          user_id: user,
          ...(approve && { require_approval: true }),
        },
      });
      location.assign(`/sessions/${encodeURIComponent(session.session_id)}#task-${task.task_id}`);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setSending(false);
    }
  }

  const remove = (session: NamedSession) => async (event: JSX.TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!confirm(`Delete "${session.name}"?`)) return;
    try {
      await api(`/api/sessions/${encodeURIComponent(session.session_id)}`, { method: "DELETE" });
      setSessions((all) => all.filter((s) => s.session_id !== session.session_id));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  const shown = searchSessions(sessions, search);
  return (
    <>
      <form class="card chat-start" method="post" action="/chat" onSubmit={send}>
        <h1>What should the agents do?</h1>
        {!userId && (
          <div class="name-row">
            <label for="user-name">Your name</label>
            <input
              id="user-name"
              name="user_id"
              required
              maxLength={200}
              autoComplete="nickname"
              value={name}
              onInput={(e) => setName(e.currentTarget.value)}
            />
            <p class="muted hint">Asked once; this browser remembers it.</p>
          </div>
        )}
        <RequestBox
          value={draft}
          onInput={setDraft}
          examples={examples}
          autoFocus
          sending={sending}
          options={<ApprovalOption checked={approve} onChange={setApprove} />}
        >
          <button
            type="submit"
            class="secondary"
            formAction="/sessions"
            formNoValidate
            data-empty="true"
            disabled={sending}
          >
            Start session
          </button>
        </RequestBox>
        {error && <p class="notice notice-error" role="alert">{error}</p>}
      </form>
      <section aria-labelledby="sessions-heading">
        <div class="section-head">
          <h2 id="sessions-heading">Conversations ({shown.length})</h2>
          <form method="get" action="/" role="search" class="form-row session-search">
            <label for="session-search" class="visually-hidden">Search conversations</label>
            <input
              id="session-search"
              name="q"
              type="search"
              placeholder="Search conversations"
              value={search}
              onInput={(e) => setSearch(e.currentTarget.value)}
            />
            <button type="submit" class="secondary">Search</button>
          </form>
        </div>
        {shown.length === 0
          ? <p class="muted">{search ? "No conversation matches." : "No conversations yet."}</p>
          : (
            <ul class="session-list">
              {shown.map((session) => (
                <li
                  key={session.session_id}
                  class="session-row"
                  data-session-id={session.session_id}
                >
                  <a
                    class="session-name"
                    href={`/sessions/${encodeURIComponent(session.session_id)}`}
                  >
                    {session.name}
                  </a>
                  <span class="muted hint">
                    {session.user_id} · {session.message_count} messages · active{" "}
                    <RelativeTime iso={session.last_activity} now={now} />
                  </span>
                  <form
                    method="post"
                    action={`/sessions/${encodeURIComponent(session.session_id)}/delete`}
                    onSubmit={remove(session)}
                  >
                    <button
                      type="submit"
                      class="danger small"
                      aria-label={`Delete ${session.name}`}
                    >
                      Delete
                    </button>
                  </form>
                </li>
              ))}
            </ul>
          )}
      </section>
    </>
  );
}
