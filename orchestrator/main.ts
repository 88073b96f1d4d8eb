/** The orchestrator service (port 8000): reads config, serves, shuts down gracefully. */
import { loadConfigOrExit, serveUntilSignal } from "@app/lib";
import { createOrchestrator } from "./service.ts";

const config = loadConfigOrExit("orchestrator");
const orchestrator = await createOrchestrator(config);
serveUntilSignal({
  logger: orchestrator.logger,
  hostname: config.HOST,
  port: config.ORCHESTRATOR_PORT,
  reusePort: config.REUSE_PORT,
  access: {
    authenticated: await orchestrator.auth.required(),
    allowUnauthenticated: config.ALLOW_UNAUTHENTICATED,
  },
  fetch: orchestrator.app.fetch,
  listening: { docs: "/docs" },
  // Hand task leases back so another process resumes them at once; close the database.
  onStop: () => orchestrator.close(),
});
