/** The Python original's plain REST routes beside A2A: `/health`, `/capabilities` and
 * `POST /process`, which runs the same graph synchronously. */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { AGENT_DESCRIPTION, AGENT_NAME, AGENT_VERSION, CAPABILITIES, SKILLS } from "../card.ts";
import { ReportSchema } from "../report.ts";
import { meterUsage, toWireUsage } from "@app/lib/usage";
import type { ResearchService } from "../research.ts";

const ProcessRequest = z.object({
  description: z.string().trim().min(1).openapi({ example: "Research solar adoption in Europe" }),
  context: z.record(z.string(), z.unknown()).optional().openapi({
    description: "Material to work on: previous results, documents, notes.",
  }),
  session_id: z.string().min(1).optional().openapi({
    description: "Keeps the conversation: earlier requests of the session feed this one.",
  }),
}).openapi("ProcessRequest");

const ProcessResponse = ReportSchema.extend({
  status: z.literal("completed"),
  session_id: z.string().optional(),
  usage: z.record(z.string(), z.unknown()).optional().openapi({
    description: "the tokens the LLM server reported for the run (absent offline), " +
      "{input_tokens, output_tokens, total_tokens, model}",
  }),
}).openapi("ProcessResponse");

const Capabilities = z.object({
  name: z.string(),
  description: z.string(),
  version: z.string(),
  capabilities: z.array(z.string()),
  skills: z.array(z.object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    tags: z.array(z.string()),
  })),
  protocols: z.array(z.string()),
  streaming: z.boolean(),
  llm: z.object({ provider: z.string(), model: z.string().nullable() }),
}).openapi("Capabilities");

const Health = z.object({
  status: z.literal("ok"),
  service: z.string(),
  version: z.string(),
  llm_provider: z.string(),
  offline: z.boolean(),
}).openapi("Health");

export interface RestDeps {
  research: ResearchService;
  llm: { provider: string; model: string | null };
}

export function mountRestRoutes(app: OpenAPIHono, deps: RestDeps) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/health",
      tags: ["system"],
      responses: {
        200: { description: "Up", content: { "application/json": { schema: Health } } },
      },
    }),
    (c) =>
      c.json({
        status: "ok" as const,
        service: "a2a-agent",
        version: AGENT_VERSION,
        llm_provider: deps.llm.provider,
        offline: deps.llm.model === null,
      }, 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/capabilities",
      tags: ["agent"],
      responses: {
        200: {
          description: "What the agent can do",
          content: { "application/json": { schema: Capabilities } },
        },
      },
    }),
    (c) =>
      c.json({
        name: AGENT_NAME,
        description: AGENT_DESCRIPTION,
        version: AGENT_VERSION,
        capabilities: CAPABILITIES,
        skills: SKILLS.map(({ id, name, description, tags }) => ({ id, name, description, tags })),
        protocols: ["a2a/1.0 (JSON-RPC)", "a2a/0.3 (JSON-RPC)", "rest"],
        streaming: true,
        llm: deps.llm,
      }, 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/process",
      tags: ["agent"],
      summary: "Run the research graph synchronously and return its report",
      request: {
        body: { required: true, content: { "application/json": { schema: ProcessRequest } } },
      },
      responses: {
        200: {
          description: "The report",
          content: { "application/json": { schema: ProcessResponse } },
        },
      },
    }),
    async (c) => {
      const { description, context, session_id } = c.req.valid("json");
      // A client that goes away stops the graph; unlinked afterwards, since Deno warns about
      // listeners left on a finished request's signal.
      const controller = new AbortController();
      const abort = () => controller.abort();
      c.req.raw.signal.addEventListener("abort", abort, { once: true });
      let metered;
      try {
        // The run's LLM usage is answered beside the report, as the API agent does.
        metered = await meterUsage(() =>
          deps.research.run(
            { instruction: description, texts: [], data: context ? { context } : {} },
            { contextId: session_id && `session:${session_id}`, signal: controller.signal },
          )
        );
      } finally {
        c.req.raw.signal.removeEventListener("abort", abort);
      }
      const usage = toWireUsage(metered.usage);
      return c.json(
        {
          ...metered.value,
          status: "completed" as const,
          ...(session_id && { session_id }),
          ...(usage && { usage }),
        },
        200,
      );
    },
  );
}
