/** The orchestrator's HTTP app: pure, no listening; main.ts and tests serve it. */
import { cors } from "hono/cors";
import { createServiceApp } from "@app/lib";
import type { OrchestratorDeps } from "./deps.ts";
import type { Executor } from "./executor/executor.ts";
import { authenticate } from "./auth/middleware.ts";
import { mountA2aRoutes } from "./routes/a2a.ts";
import { mountAgentRoutes } from "./routes/agents.ts";
import { mountAgentCallsRoute } from "./routes/agent_calls.ts";
import { mountKeyRoutes } from "./routes/keys.ts";
import { mountMcpRoutes } from "./routes/mcp.ts";
import { mountSessionRoutes } from "./routes/sessions.ts";
import { mountSystemRoutes } from "./routes/system.ts";
import { mountTaskRoutes } from "./routes/tasks.ts";
import { mountTaskRetryRoute } from "./routes/task_retry.ts";
import { mountTaskWaitRoutes } from "./routes/task_waits.ts";

export function createApp(deps: OrchestratorDeps, executor?: Executor) {
  const app = createServiceApp({
    title: "Multi-agent orchestrator",
    description: "Plans tasks into steps and runs them on registered agents.",
    logger: deps.logger,
    maxBodyBytes: deps.config.MAX_BODY_BYTES,
    // Its /metrics adds the database's gauges (routes/system.ts).
    metrics: deps.metrics.service,
    metricsRoute: false,
  });
  app.use(
    "*",
    cors({
      origin: deps.config.FRONTEND_URL,
      allowHeaders: ["Content-Type", "Authorization", "Last-Event-ID", "Idempotency-Key"],
      exposeHeaders: ["X-Next-Cursor", "Idempotent-Replayed"],
    }),
  );
  app.use("/api/*", authenticate(deps.auth));
  mountSystemRoutes(app, deps, executor);
  mountTaskRoutes(app, deps, executor);
  mountTaskRetryRoute(app, deps);
  mountTaskWaitRoutes(app, deps);
  mountAgentCallsRoute(app, deps);
  mountAgentRoutes(app, deps);
  mountSessionRoutes(app, deps);
  mountKeyRoutes(app, deps);
  mountMcpRoutes(app, deps, executor);
  mountA2aRoutes(app, deps, executor);
  app.get("/", (c) => c.redirect("/docs"));
  return app;
}
