/**
 * The shared start of every service's app: an OpenAPIHono whose zod validation failures answer
 * 422 naming each field, a body-size limit (413), the JSON error envelope, `/openapi.json` and
 * `/docs`.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import type { Env } from "hono";
import type { ZodError } from "zod";
import { errorBody, errorHandler, notFoundHandler } from "./http_errors.ts";
import type { Logger } from "./logger.ts";
import { mountSwaggerDocs } from "./swagger_docs.ts";
import type { ServiceMetrics } from "./prometheus.ts";

export function validationDetails(error: ZodError) {
  return error.issues.map((issue) => ({
    field: issue.path.join(".") || "body",
    message: issue.message,
  }));
}

/** The 422 body for a zod failure, naming every offending field in the message too. */
export function validationBody(error: ZodError, target = "body") {
  const details = validationDetails(error);
  const fields = details.map((d) => `${d.field}: ${d.message}`).join("; ");
  return errorBody("validation_failed", `invalid ${target}: ${fields}`, details);
}

export function createOpenApiApp<E extends Env = Env>(): OpenAPIHono<E> {
  return new OpenAPIHono<E>({
    defaultHook: (result, c) => {
      if (!result.success) return c.json(validationBody(result.error, result.target), 422);
    },
  });
}

export interface ServiceAppOptions {
  title: string;
  version?: string;
  description?: string;
  logger: Logger;
  maxBodyBytes?: number;
  /** Times every request and (unless `metricsRoute` is false) answers `GET /metrics`. */
  metrics?: ServiceMetrics;
  /** False when the service answers `/metrics` itself (the orchestrator adds its gauges). */
  metricsRoute?: boolean;
}

/** Mounts the error envelope, body limit and docs on a new app. */
export function createServiceApp<E extends Env = Env>(options: ServiceAppOptions): OpenAPIHono<E> {
  const app = createOpenApiApp<E>();
  app.onError(errorHandler(options.logger));
  app.notFound(notFoundHandler);
  if (options.metrics) {
    app.use("*", options.metrics.middleware());
    if (options.metricsRoute !== false) app.get("/metrics", options.metrics.handler());
  }
  const maxSize = options.maxBodyBytes ?? 1_048_576;
  app.use(
    "*",
    bodyLimit({
      maxSize,
      onError: (c) =>
        c.json(
          errorBody("payload_too_large", `request body is larger than ${maxSize} bytes`),
          413,
        ),
    }),
  );
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: options.title,
      version: options.version ?? "1.0.0",
      description: options.description,
    },
  });
  // Served from the project (swagger-ui-dist), not a CDN: the docs work offline.
  mountSwaggerDocs(app, options.title, "/openapi.json");
  return app;
}
