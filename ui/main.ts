/**
 * The UI service (port 3000): reads config, builds the islands (unless running as a compiled
 * binary, which carries them prebuilt, or given --no-build), serves, and shuts down gracefully.
 *   --watch               rebuild the islands when their sources change (dev)
 *   --islands-dir=PATH    serve (and build) the island bundles there instead of static/islands/
 */
import { createLogger, loadConfigOrExit, serveUntilSignal } from "@app/lib";
import { createApp } from "./app.ts";
import { buildIslands, DEFAULT_ISLANDS_DIR, watchIslands } from "./build.ts";

const flag = (name: string) => Deno.args.includes(`--${name}`);
const option = (name: string) =>
  Deno.args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const islandsDir = option("islands-dir") ?? DEFAULT_ISLANDS_DIR;

const config = loadConfigOrExit("ui");
const logger = createLogger("ui", config.LOG_LEVEL);

if (!Deno.build.standalone && !flag("no-build")) {
  const built = await buildIslands({ outDir: islandsDir });
  logger.info("islands built", { islands: built.islands, ms: built.ms });
}
const watching = new AbortController();
if (flag("watch")) {
  watchIslands((result) => {
    if (result instanceof Error) logger.error("islands build failed", { error: result.message });
    else logger.info("islands rebuilt", { ms: result.ms });
  }, { outDir: islandsDir, signal: watching.signal });
}

const app = createApp({
  config,
  logger,
  orchestratorUrl: config.ORCHESTRATOR_URL,
  apiKey: config.API_KEY,
  islandsDir,
});
serveUntilSignal({
  logger,
  hostname: config.HOST,
  port: config.UI_PORT,
  access: {
    authenticated: Boolean(config.API_KEY || config.AUTH_JWKS_URL),
    allowUnauthenticated: config.ALLOW_UNAUTHENTICATED,
  },
  fetch: app.fetch,
  listening: { orchestrator: config.ORCHESTRATOR_URL },
  onStop: () => watching.abort(),
});
