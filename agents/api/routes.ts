/**
 * The operation routes: `POST /api/process`, one route per operation, and the original's
 * `POST /process`. Validation is zod's (422 naming the field); the operations throw HttpError
 * for inputs that are well-formed but unusable.
 */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AgentAnswers, Json } from "@app/db";
import { unprocessable } from "@app/lib";
import { apiOperationOf } from "@app/lib/capabilities";
import { meterUsage, toWireUsage } from "@app/lib/usage";
import { inSpan } from "@app/lib/tracing";
import { analyze } from "./analyze.ts";
import { extract } from "./extract.ts";
import { fromLegacy } from "./legacy.ts";
import { withMaterial } from "./material.ts";
import type { OperationContext, OperationHandler, OperationRequest } from "./request.ts";
import {
  ErrorSchema,
  LegacyProcessBodySchema,
  LegacyProcessResponseSchema,
  type Operation,
  OperationBodySchema,
  type OperationResponse,
  OperationResponseSchema,
  ProcessBodySchema,
} from "./schemas.ts";
import { summarize } from "./summarize.ts";

export const HANDLERS: Record<Operation, OperationHandler> = { summarize, analyze, extract };

export const OPERATION_DESCRIPTIONS: Record<Operation, string> = {
  summarize: "Extractive summary (keyword-weighted sentences); abstractive with an LLM.",
  analyze: "Descriptive statistics of numbers or records; counts and keywords of text.",
  extract: "Keywords, capitalised phrases, numbers, amounts, percentages and dates.",
};

const json = <T>(schema: T) => ({ "application/json": { schema } });

const errorResponses = {
  400: { description: "Malformed JSON", content: json(ErrorSchema) },
  413: { description: "Body larger than MAX_BODY_BYTES", content: json(ErrorSchema) },
  422: { description: "Invalid or unusable input; names the field", content: json(ErrorSchema) },
};

export interface OperationDeps {
  context: (request: Request) => OperationContext;
  /** Answers by idempotency key, in the database; without it every call does the work. */
  answers?: AgentAnswers;
}

/** A caller's key for the call: a repeat gets the first answer, the work done once. */
const IdempotencyHeaders = z.object({
  "idempotency-key": z.string().trim().min(1).max(255).optional().openapi({
    description: "The same key again (to the same route) returns the stored answer without " +
      "doing the work again, with Idempotent-Replayed: true; the orchestrator sends one per " +
      "task step.",
  }),
});

async function run(operation: Operation, request: OperationRequest, context: OperationContext) {
  if (context.delayMs) await new Promise((resolve) => setTimeout(resolve, context.delayMs));
  // The LLM calls the operation makes are reported with its answer, as `usage`.
  // A span in the caller's trace (Deno's server span continues its `traceparent` header).
  const { value, usage } = await inSpan(`operation ${operation}`, {}, () =>
    meterUsage(async () => {
      const material = withMaterial(operation, request, context);
      return "summary" in material ? material : await HANDLERS[operation](material, context);
    }));
  const reported = toWireUsage(usage);
  return reported ? { ...value, usage: reported as OperationResponse["usage"] } : value;
}

/** Runs `work` once per idempotency key when the caller gave one and answers are stored. */
async function once<T>(c: Context, answers: AgentAnswers | undefined, work: () => Promise<T>) {
  const key = c.req.header("idempotency-key")?.trim();
  if (!answers || !key) return await work();
  const { answer, replayed } = await answers.once(
    `${c.req.path} ${key}`,
    async () => await work() as Json,
  );
  if (replayed) c.header("Idempotent-Replayed", "true");
  return answer as T;
}

export function mountOperationRoutes(app: OpenAPIHono, deps: OperationDeps) {
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/process",
      tags: ["operations"],
      summary: "Run an operation: summarize, analyze or extract",
      request: {
        body: { content: json(ProcessBodySchema), required: true },
        headers: IdempotencyHeaders,
      },
      responses: {
        200: { description: "The result", content: json(OperationResponseSchema) },
        ...errorResponses,
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const response = await once(c, deps.answers, () =>
        run(body.operation, {
          input: body.input,
          data: body.data,
          options: body.options ?? {},
          history: body.history,
        }, deps.context(c.req.raw)));
      return c.json(response, 200);
    },
  );

  for (const operation of Object.keys(HANDLERS) as Operation[]) {
    app.openapi(
      createRoute({
        method: "post",
        path: `/api/${operation}`,
        tags: ["operations"],
        summary: OPERATION_DESCRIPTIONS[operation],
        request: {
          body: { content: json(OperationBodySchema), required: true },
          headers: IdempotencyHeaders,
        },
        responses: {
          200: { description: "The result", content: json(OperationResponseSchema) },
          ...errorResponses,
        },
      }),
      async (c) => {
        const body = c.req.valid("json");
        const response = await once(c, deps.answers, () =>
          run(operation, {
            input: body.input,
            data: body.data,
            options: body.options ?? {},
            history: body.history,
          }, deps.context(c.req.raw)));
        return c.json(response, 200);
      },
    );
  }

  app.openapi(
    createRoute({
      method: "post",
      path: "/process",
      tags: ["compatibility"],
      summary: "The Python original's endpoint: {task_type, data, instructions?, target_format?}",
      request: {
        body: { content: json(LegacyProcessBodySchema), required: true },
        headers: IdempotencyHeaders,
      },
      responses: {
        200: { description: "The result", content: json(LegacyProcessResponseSchema) },
        ...errorResponses,
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const operation = apiOperationOf(body.task_type);
      // The schema already refuses unknown task types; this keeps the type checker honest.
      if (!operation) throw unprocessable("task_type", `unknown task_type "${body.task_type}"`);
      const response = await once(
        c,
        deps.answers,
        () => run(operation, fromLegacy(body), deps.context(c.req.raw)),
      );
      return c.json({ ...response, task_type: body.task_type, status: "completed" as const }, 200);
    },
  );
}
