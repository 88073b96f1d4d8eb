/**
 * Prometheus metrics for every service, through `prom-client`: the process's own (CPU, memory,
 * file descriptors, event loop, Deno's heap; registered once per process), each service's HTTP
 * requests by route, method and status as a histogram, and whatever the service adds to its
 * registry. `GET /metrics` answers the merged text.
 */
import { collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";

export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** Seconds, from a fast in-process step to a slow LLM call. */
export const DURATION_BUCKETS_S = [
  0.005,
  0.01,
  0.025,
  0.05,
  0.1,
  0.25,
  0.5,
  1,
  2.5,
  5,
  10,
  30,
  60,
  120,
];

let processRegistry: Registry | undefined;

/** The process's metrics, made once however many services (tests) run in it. */
function processMetrics(): Registry {
  if (processRegistry) return processRegistry;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const heap = (name: string, help: string, read: (m: Deno.MemoryUsage) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read(Deno.memoryUsage()));
      },
    });
  heap(
    "deno_heap_used_bytes",
    "JavaScript heap in use (live objects and not yet collected).",
    (m) => m.heapUsed,
  );
  heap("deno_heap_total_bytes", "JavaScript heap reserved.", (m) => m.heapTotal);
  processRegistry = registry;
  return registry;
}

/** One service's registry, its HTTP histogram, and the merged text of `/metrics`. */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly #requests: Histogram<"method" | "route" | "status">;

  constructor(readonly service: string) {
    this.#requests = new Histogram({
      name: "http_server_request_duration_seconds",
      help: "HTTP requests served, by route pattern, method and status.",
      labelNames: ["method", "route", "status"],
      buckets: DURATION_BUCKETS_S,
      registers: [this.registry],
    });
  }

  /** Times every request; the route is the matched pattern (`/api/tasks/:id`), not the path. */
  middleware(): MiddlewareHandler {
    return async (c, next) => {
      const started = performance.now();
      try {
        await next();
      } finally {
        this.#requests.observe(
          { method: c.req.method, route: routeOf(c), status: String(c.res.status) },
          (performance.now() - started) / 1000,
        );
      }
    };
  }

  /** The process's metrics and this service's, as Prometheus text. */
  text(): Promise<string> {
    return Registry.merge([processMetrics(), this.registry]).metrics();
  }

  /** `GET /metrics` as a handler. */
  handler() {
    return async (c: Context) =>
      c.body(await this.text(), 200, { "Content-Type": PROMETHEUS_CONTENT_TYPE });
  }
}

// The handler's pattern: the last route matched that is not middleware (`use` is "ALL"). An
// unmatched path is one label value, not one per path a scanner tries.
function routeOf(c: Context): string {
  const route = matchedRoutes(c).findLast((r) => r.method !== "ALL")?.path;
  return route ?? "unmatched";
}
