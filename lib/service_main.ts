/**
 * What every service's main.ts does around its app: read config (a bad setting ends start-up
 * with its message), serve, log one "listening" line, and on SIGINT/SIGTERM stop taking
 * requests, let open requests finish (event streams get a moment, not for ever), run the
 * service's own clean-up, and exit.
 */
import { type Config, ConfigError, loadConfig } from "./config.ts";
import type { Logger } from "./logger.ts";
import { type ListenAccess, listenAddress } from "./listen_address.ts";

export function loadConfigOrExit(service: string): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`${service}: ${error.message}`);
      Deno.exit(2);
    }
    throw error;
  }
}

export interface ServeOptions {
  logger: Logger;
  hostname: string;
  port: number;
  fetch: (request: Request) => Response | Promise<Response>;
  /** Extra fields for the "listening" line. */
  listening?: Record<string, unknown>;
  /** Runs after the server stopped (hand leases back, close the database...). */
  onStop?: () => Promise<void> | void;
  /** How long open requests (event streams) may take to finish. */
  drainMs?: number;
  /** How callers are checked: a service that checks nobody listens on loopback only. */
  access: ListenAccess;
  /** SO_REUSEPORT: several processes listen on one port, the kernel spreads connections. */
  reusePort?: boolean;
}

export function serveUntilSignal(options: ServeOptions): Deno.HttpServer {
  const { logger } = options;
  const server = Deno.serve({
    hostname: listenAddress(options.hostname, options.access, logger),
    port: options.port,
    ...(options.reusePort && { reusePort: true }),
    onListen: ({ hostname, port }) =>
      logger.info("listening", { url: `http://${hostname}:${port}`, ...options.listening }),
  }, options.fetch);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info("shutting down", { signal });
    await Promise.race([
      server.shutdown(),
      new Promise((resolve) => setTimeout(resolve, options.drainMs ?? 2_000)),
    ]);
    await options.onStop?.();
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGINT", () => shutdown("SIGINT"));
  Deno.addSignalListener("SIGTERM", () => shutdown("SIGTERM"));
  return server;
}
