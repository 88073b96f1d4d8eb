/** Error pages: a missing session or task, an unreachable orchestrator, anything else. */
import type { ErrorHandler, NotFoundHandler } from "hono";
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

export function errorHandler(logger: Logger): ErrorHandler {
  return (error, c) => {
    const status = error instanceof OrchestratorError ? error.status : 500;
    if (status >= 500) logger.error("request failed", { path: c.req.path, error: String(error) });
    if (c.req.path.startsWith("/api/")) {
      const code = error instanceof OrchestratorError ? error.code : "internal_error";
      return c.json({ error: { code, message: error.message } }, status as 500);
    }
    if (status === 404) return errorPage(404, "Not found", error.message);
    if (status === 502) {
      return errorPage(502, "Orchestrator unreachable", `The UI could not reach ${error.message}.`);
    }
    if (status < 500) return errorPage(status, "Request refused", error.message);
    return errorPage(500, "Something went wrong", "The error has been logged.");
  };
}
