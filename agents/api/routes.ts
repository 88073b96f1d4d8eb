/**
 * The operation routes: `POST /api/process`, one route per operation, and the original's
 * `POST /process`. Validation is zod's (422 naming the field); the operations throw HttpError
 * for inputs that are well-formed but unusable.
 */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { unprocessable } from "@app/lib";
import { apiOperationOf } from "@app/lib/capabilities";
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
}

function run(operation: Operation, request: OperationRequest, context: OperationContext) {
  const material = withMaterial(operation, request, context);
  return "summary" in material ? Promise.resolve(material) : HANDLERS[operation](material, context);
}

export function mountOperationRoutes(app: OpenAPIHono, deps: OperationDeps) {
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/process",
      tags: ["operations"],
      summary: "Run an operation: summarize, analyze or extract",
      request: { body: { content: json(ProcessBodySchema), required: true } },
      responses: {
        200: { description: "The result", content: json(OperationResponseSchema) },
        ...errorResponses,
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const response = await run(body.operation, {
        input: body.input,
        data: body.data,
        options: body.options ?? {},
        history: body.history,
      }, deps.context(c.req.raw));
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
        request: { body: { content: json(OperationBodySchema), required: true } },
        responses: {
          200: { description: "The result", content: json(OperationResponseSchema) },
          ...errorResponses,
        },
      }),
      async (c) => {
        const body = c.req.valid("json");
        const response = await run(operation, {
          input: body.input,
          data: body.data,
          options: body.options ?? {},
          history: body.history,
        }, deps.context(c.req.raw));
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
      request: { body: { content: json(LegacyProcessBodySchema), required: true } },
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
      const response = await run(operation, fromLegacy(body), deps.context(c.req.raw));
      return c.json({ ...response, task_type: body.task_type, status: "completed" as const }, 200);
    },
  );
}
