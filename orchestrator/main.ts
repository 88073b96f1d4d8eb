/** The orchestrator service (port 8000): reads config, serves, shuts down gracefully. */
import { ConfigError, loadConfig } from "@app/lib";
import { createOrchestrator } from "./service.ts";

let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`orchestrator: ${error.message}`);
    Deno.exit(2);
  }
  throw error;
}
const orchestrator = await createOrchestrator(config);
const server = Deno.serve({
  hostname: config.HOST,
  port: config.ORCHESTRATOR_PORT,
  onListen: ({ hostname, port }) =>
    orchestrator.logger.info("listening", { url: `http://${hostname}:${port}`, docs: "/docs" }),
}, orchestrator.app.fetch);

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  orchestrator.logger.info("shutting down", { signal });
  await server.shutdown();
  await orchestrator.close();
  Deno.exit(0);
};
Deno.addSignalListener("SIGINT", () => shutdown("SIGINT"));
Deno.addSignalListener("SIGTERM", () => shutdown("SIGTERM"));
