/**
 * The UI service as a Hono app (pure: no listening, no building). Pages are rendered on the
 * server from the orchestrator's API; islands and static files are served from disk; /api/* is
 * proxied to the orchestrator with the signed-in viewer's key added here, so it never reaches
 * the browser (which holds only an HttpOnly session cookie).
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { contextStorage } from "hono/context-storage";
import type { Config, Logger } from "@app/lib";
import { ServiceMetrics } from "@app/lib/prometheus";
import { DEFAULT_ISLANDS_DIR } from "./build.ts";
import { createOrchestratorClient } from "./orchestrator_client.ts";
import { offlineBanner } from "./offline_banner.tsx";
import { proxyApi } from "./proxy.ts";
import { sameOrigin } from "./same_origin.ts";
import { serveFolder } from "./static_files.ts";
import { mountAgentRoutes } from "./routes/agents.tsx";
import { errorHandler, notFoundPage } from "./routes/errors.tsx";
import { mountIndexRoutes } from "./routes/index.tsx";
import { mountSessionRoutes } from "./routes/session.tsx";
import { mountTaskRoutes } from "./routes/task.tsx";
import { mountTasksRoutes } from "./routes/tasks.tsx";
import { mountTaskWaitRoutes } from "./routes/task_waits.ts";
import { mountSignInRoutes, requireSignIn } from "./routes/sign_in.tsx";
import { SignInSessions } from "./sign_in_sessions.ts";
import { currentViewer } from "./viewer.ts";

export const STATIC_DIR = decodeURIComponent(new URL("./static/", import.meta.url).pathname);

export interface UiDeps {
  config: Config;
  logger: Logger;
  orchestratorUrl: string;
  fetch?: typeof fetch;
  /** Where the island bundles are (default ui/static/islands/, written by build.ts). */
  islandsDir?: string;
}

export function createApp(deps: UiDeps): Hono {
  // One client; each request's calls carry that request's viewer's key (context storage).
  const client = createOrchestratorClient({
    baseUrl: deps.orchestratorUrl,
    credential: () => currentViewer()?.token,
    fetch: deps.fetch,
  });
  const signIn = {
    orchestratorUrl: deps.orchestratorUrl,
    sessions: new SignInSessions(deps.config.UI_SESSION_HOURS * 3_600_000),
    fetch: deps.fetch,
  };
  const app = new Hono();
  app.onError(errorHandler(deps.logger));
  app.notFound(notFoundPage);
  // Prometheus text like every service's; open, as /health is.
  const metrics = new ServiceMetrics("ui");
  app.use("*", metrics.middleware());
  app.get("/metrics", metrics.handler());
  app.use("*", contextStorage());
  app.use("*", sameOrigin());
  app.use("*", bodyLimit({ maxSize: deps.config.MAX_BODY_BYTES }));
  app.use("*", requireSignIn(signIn));
  mountSignInRoutes(app, signIn);

  app.get("/health", (c) => c.json({ status: "healthy", service: "ui" }));
  app.get("/static/:file", serveFolder(STATIC_DIR));
  app.get("/islands/:file", serveFolder(deps.islandsDir ?? DEFAULT_ISLANDS_DIR));
  app.all("/api/*", proxyApi(client));
  app.use("*", offlineBanner(client));

  mountIndexRoutes(app, client);
  mountSessionRoutes(app, client);
  mountTaskRoutes(app, client);
  mountTasksRoutes(app, client);
  mountTaskWaitRoutes(app, client);
  mountAgentRoutes(app, client);
  return app;
}
