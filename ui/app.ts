/**
 * The UI service as a Hono app (pure: no listening, no building). Pages are rendered on the
 * server from the orchestrator's API; islands and static files are served from disk; /api/* is
 * proxied to the orchestrator with the key added here, so it never reaches the browser.
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Config, Logger } from "@app/lib";
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

export const STATIC_DIR = decodeURIComponent(new URL("./static/", import.meta.url).pathname);

export interface UiDeps {
  config: Config;
  logger: Logger;
  orchestratorUrl: string;
  apiKey?: string;
  fetch?: typeof fetch;
  /** Where the island bundles are (default ui/static/islands/, written by build.ts). */
  islandsDir?: string;
}

export function createApp(deps: UiDeps): Hono {
  const client = createOrchestratorClient({
    baseUrl: deps.orchestratorUrl,
    apiKey: deps.apiKey,
    fetch: deps.fetch,
  });
  const app = new Hono();
  app.onError(errorHandler(deps.logger));
  app.notFound(notFoundPage);
  app.use("*", sameOrigin());
  app.use("*", bodyLimit({ maxSize: deps.config.MAX_BODY_BYTES }));

  app.get("/health", (c) => c.json({ status: "healthy", service: "ui" }));
  app.get("/static/:file", serveFolder(STATIC_DIR));
  app.get("/islands/:file", serveFolder(deps.islandsDir ?? DEFAULT_ISLANDS_DIR));
  app.all("/api/*", proxyApi(client));
  app.use("*", offlineBanner(client));

  mountIndexRoutes(app, client);
  mountSessionRoutes(app, client);
  mountTaskRoutes(app, client);
  mountAgentRoutes(app, client);
  return app;
}
