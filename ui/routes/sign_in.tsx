/**
 * Signing in and out. When the orchestrator asks who is calling, a browser signs in here with
 * a key (or a token from the identity provider); the UI checks it with the orchestrator, keeps
 * it server-side, and gives the browser only an HttpOnly, SameSite session cookie. When the
 * orchestrator is open (no authentication set up), nobody needs to sign in.
 */
import type { Context, Hono, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { Layout } from "../components/layout.tsx";
import { Notice } from "../components/notice.tsx";
import { createOrchestratorClient, OrchestratorError } from "../orchestrator_client.ts";
import { renderPage } from "../render.tsx";
import { SESSION_COOKIE, type SignInSessions } from "../sign_in_sessions.ts";
import type { Viewer } from "../viewer.ts";
import { readForm } from "./errors.tsx";

/** Paths anyone may load: the sign-in page itself and what pages are made of. */
const PUBLIC = [/^\/signin$/, /^\/health$/, /^\/static\//, /^\/islands\//];

export interface SignInDeps {
  orchestratorUrl: string;
  sessions: SignInSessions;
  fetch?: typeof fetch;
}

/** A local path to go back to after signing in (never another site). */
function localPath(next: string | undefined): string {
  return next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\")
    ? next
    : "/";
}

function SignInPage({ next, error }: { next: string; error?: string }) {
  return (
    <Layout>
      <h1>Sign in</h1>
      <Notice error={error} />
      <form class="card" method="post" action="/signin">
        <input type="hidden" name="next" value={next} />
        <label for="signin-key">API key or identity-provider token</label>
        <div class="form-row">
          <input
            id="signin-key"
            name="key"
            type="password"
            required
            autoComplete="current-password"
            maxLength={8192}
          />
          <button type="submit">Sign in</button>
        </div>
        <p class="muted">
          An admin creates keys with <code>deno task keys create &lt;user&gt;</code>.
        </p>
      </form>
    </Layout>
  );
}

/** The viewer a key or token stands for, as the orchestrator sees it; undefined if refused. */
async function whoIs(deps: SignInDeps, token?: string): Promise<Viewer | undefined> {
  const client = createOrchestratorClient({
    baseUrl: deps.orchestratorUrl,
    credential: () => token,
    fetch: deps.fetch,
  });
  try {
    return { ...(await client.me()), ...(token && { token }) };
  } catch (error) {
    if (error instanceof OrchestratorError && error.status === 401) return undefined;
    throw error;
  }
}

/** When a JWT ends (its `exp`), so a sign-in with one ends then too. */
function tokenExpiry(token: string): number | undefined {
  try {
    const exp = JSON.parse(atob(token.split(".")[1].replaceAll("-", "+").replaceAll("_", "/")))
      .exp;
    return typeof exp === "number" ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

const isSecure = (c: Context) =>
  new URL(c.req.url).protocol === "https:" || c.req.header("x-forwarded-proto") === "https";

/**
 * Sets the request's viewer: the signed-in one, or on an open orchestrator the open one.
 * Without either, pages redirect to /signin and /api answers 401.
 */
export function requireSignIn(deps: SignInDeps): MiddlewareHandler {
  // Whether the orchestrator is open, asked now and then (it changes when keys are created).
  let open: { at: number; viewer: Promise<Viewer | undefined> } | undefined;
  const openViewer = () => {
    if (!open || Date.now() - open.at > 2_000) {
      open = { at: Date.now(), viewer: whoIs(deps) };
      open.viewer.catch(() => (open = undefined));
    }
    return open.viewer;
  };
  return async (c, next) => {
    const signedIn = deps.sessions.get(getCookie(c, SESSION_COOKIE));
    if (signedIn) {
      c.set("viewer", signedIn);
      return await next();
    }
    if (PUBLIC.some((path) => path.test(c.req.path))) return await next();
    let viewer: Viewer | undefined;
    try {
      viewer = await openViewer();
    } catch {
      // The orchestrator is unreachable: the page's own call says so (502).
      return await next();
    }
    if (viewer) {
      c.set("viewer", viewer);
      return await next();
    }
    if (c.req.path.startsWith("/api/")) {
      return c.json({ error: { code: "unauthorized", message: "sign in first" } }, 401);
    }
    const back = c.req.method === "GET" ? c.req.path + new URL(c.req.url).search : "/";
    return c.redirect(`/signin?next=${encodeURIComponent(back)}`, 303);
  };
}

export function mountSignInRoutes(app: Hono, deps: SignInDeps): void {
  app.get("/signin", (c) =>
    renderPage({
      title: "Sign in",
      body: <SignInPage next={localPath(c.req.query("next"))} error={c.req.query("error")} />,
    }));

  app.post("/signin", async (c) => {
    const form = await readForm(c);
    const key = String(form.key ?? "").trim();
    const next = localPath(String(form.next ?? ""));
    const viewer = key ? await whoIs(deps, key) : undefined;
    if (!viewer || viewer.via === "open") {
      const error = encodeURIComponent(
        key ? "That key or token was not accepted." : "Give a key or token.",
      );
      return c.redirect(`/signin?next=${encodeURIComponent(next)}&error=${error}`, 303);
    }
    deps.sessions.delete(getCookie(c, SESSION_COOKIE));
    const id = deps.sessions.create(viewer, tokenExpiry(key));
    setCookie(c, SESSION_COOKIE, id, {
      httpOnly: true,
      sameSite: "Lax",
      path: "/",
      secure: isSecure(c),
      maxAge: Math.floor(deps.sessions.ttlMs / 1000),
    });
    return c.redirect(next, 303);
  });

  app.post("/signout", (c) => {
    deps.sessions.delete(getCookie(c, SESSION_COOKIE));
    deleteCookie(c, SESSION_COOKIE, { path: "/", secure: isSecure(c) });
    return c.redirect("/signin", 303);
  });
}
