/**
 * One error shape for every service: `{error: {code, message, details?}}`. Routes throw
 * `HttpError`; `errorHandler` is the single place that turns anything thrown into a response,
 * the data layer's typed errors (database_errors.ts) included.
 */
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Logger } from "./logger.ts";
import {
  databaseErrorIn,
  DatabaseUnavailable,
  InvalidText,
  ReferenceMissing,
  TransactionConflict,
  UniqueViolation,
} from "./database_errors.ts";

export interface ErrorDetail {
  field?: string;
  message: string;
  [key: string]: unknown;
}

export class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new HttpError(404, "not_found", `${what} not found`);
export const conflict = (message: string) => new HttpError(409, "conflict", message);
export const unprocessable = (field: string, message: string) =>
  new HttpError(422, "validation_failed", `${field}: ${message}`, [{ field, message }]);

export function errorBody(code: string, message: string, details?: ErrorDetail[]) {
  return { error: { code, message, ...(details && { details }) } };
}

export function errorHandler(logger: Logger): ErrorHandler {
  return (error: Error, c: Context) => {
    if (error instanceof HttpError) {
      for (const [name, value] of Object.entries(error.headers ?? {})) c.header(name, value);
      return c.json(errorBody(error.code, error.message, error.details), error.status);
    }
    if (error instanceof HTTPException) {
      const status = error.status as ContentfulStatusCode;
      const code = status === 413
        ? "payload_too_large"
        : status === 401
        ? "unauthorized"
        : status === 400
        ? "bad_request"
        : "http_error";
      return c.json(errorBody(code, error.message || "request rejected"), status);
    }
    const database = databaseErrorIn(error);
    if (database instanceof UniqueViolation) {
      const what = database.columns.length ? `that ${database.columns.join(", ")}` : "those values";
      return c.json(errorBody("conflict", `another record already has ${what}`), 409);
    }
    if (database instanceof ReferenceMissing) {
      return c.json(
        errorBody("conflict", "it refers to a record that no longer exists (removed meanwhile?)"),
        409,
      );
    }
    if (database instanceof InvalidText) {
      return c.json(
        errorBody("bad_request", "the request contains characters the database cannot store"),
        400,
      );
    }
    if (database instanceof TransactionConflict) {
      logger.warn("database conflict", { error: String(error), path: c.req.path });
      c.header("Retry-After", "1");
      return c.json(errorBody("conflict_retry", "a concurrent change got in the way; retry"), 503);
    }
    if (database instanceof DatabaseUnavailable) {
      logger.warn("database unavailable", { error: String(error), path: c.req.path });
      c.header("Retry-After", "1");
      return c.json(errorBody("database_unavailable", "the database is unavailable; retry"), 503);
    }
    logger.error("unhandled error", {
      error: String(error),
      stack: error.stack,
      method: c.req.method,
      path: c.req.path,
    });
    return c.json(errorBody("internal_error", "internal server error"), 500);
  };
}

export const notFoundHandler: NotFoundHandler = (c) =>
  c.json(errorBody("not_found", `no route for ${c.req.method} ${c.req.path}`), 404);
