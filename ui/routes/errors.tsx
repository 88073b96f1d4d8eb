/** Error pages: a missing session or task, an unreachable orchestrator, anything else. */
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { Logger } from "@app/lib";
import { Layout } from "../components/layout.tsx";
import { OrchestratorError } from "../orchestrator_client.ts";
import { renderPage } from "../render.tsx";

function errorPage(status: number, title: string, message: string): Response {
  return renderPage({
    status,
    title,
    body: (
      <Layout>
        <h1>{title}</h1>
        <p>{message}</p>
        <p>
          <a href="/">Back to sessions</a>
        </p>
      </Layout>
    ),
  });
}

export const notFoundPage: NotFoundHandler = (c) =>
  c.req.path.startsWith("/api/")
    ? c.json({ error: { code: "not_found", message: `${c.req.path} not found` } }, 404)
    : errorPage(404, "Not found", `There is nothing at ${c.req.path}.`);

/** The posted form. Fuzzing found a malformed multipart body made parseBody throw, answered
 * 500; it is the client's mistake, so it answers 400. */
export async function readForm(c: Context) {
  try {
    return await c.req.parseBody();
  } catch {
    throw new HTTPException(400, { message: "The form could not be read." });
  }
}

export function errorHandler(logger: Logger): ErrorHandler {
  return (error, c) => {
    // HTTPException: a refusal with its own status (readForm's 400), not a failure.
    const status = error instanceof OrchestratorError || error instanceof HTTPException
      ? error.status
      : 500;
    if (status >= 500) logger.error("request failed", { path: c.req.path, error: String(error) });
    if (c.req.path.startsWith("/api/")) {
      const code = error instanceof OrchestratorError ? error.code : "internal_error";
      return c.json({ error: { code, message: error.message } }, status as 500);
    }
    if (status === 404) return errorPage(404, "Not found", error.message);
    // The key was revoked or the token expired meanwhile: sign in again.
    if (status === 401) {
      const message = encodeURIComponent("Your sign-in is no longer accepted; sign in again.");
      return c.redirect(`/signin?error=${message}`, 303);
    }
    if (status === 502) {
      return errorPage(502, "Orchestrator unreachable", `The UI could not reach ${error.message}.`);
    }
    if (status < 500) return errorPage(status, "Request refused", error.message);
    return errorPage(500, "Something went wrong", "The error has been logged.");
  };
}
