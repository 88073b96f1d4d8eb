/**
 * The API agent's request and response schemas: one zod schema each feeds validation (422
 * naming the field), the OpenAPI document and the TypeScript types.
 */
import { z } from "@hono/zod-openapi";
import { API_OPERATIONS, apiOperationOf, OPERATIONS } from "@app/lib/capabilities";

export { type Operation, OPERATIONS } from "@app/lib/capabilities";

export const OptionsSchema = z.looseObject({
  max_sentences: z.int().min(1).max(50).optional().openapi({
    description: "summarize: how many sentences to keep (default 3).",
  }),
  top_k: z.int().min(1).max(100).optional().openapi({
    description: "How many keywords to list (default 10).",
  }),
  percentiles: z.array(z.number().min(0).max(100)).min(1).max(20).optional().openapi({
    description: "analyze: which percentiles to report (default 25, 50, 75, 90, 95).",
  }),
  fields: z.array(z.string().min(1)).min(1).max(100).optional().openapi({
    description: "analyze: only these numeric fields of records (dotted paths).",
  }),
  instruction: z.string().max(20_000).optional().openapi({
    description: "What the caller wants; passed to the LLM when one is configured.",
  }),
  target_format: z.string().max(100).optional().openapi({
    description: "Format the LLM should write in (text, markdown, bullets...).",
  }),
}).openapi("Options", { description: "Unknown options are accepted and ignored." });
export type Options = z.infer<typeof OptionsSchema>;

export const DataSchema = z.union([
  z.array(z.unknown()),
  z.record(z.string(), z.unknown()),
]).openapi({
  description: "A list of numbers, a list of records (objects), or an object of numbers or " +
    "numeric arrays. Strings in it count as text for summarize and extract.",
  example: [3, 5, 8, 13],
});

const input = z.string().max(1_000_000).default("").openapi({
  description: "The text to work on; may be empty when `data` is given.",
  example: "Solar capacity grew 24% in 2024. Costs fell again. Analysts expect more growth.",
});

export const TurnSchema = z.object({
  role: z.string().max(20),
  content: z.string().max(100_000),
}).openapi("Turn");

export const OperationBodySchema = z.object({
  input,
  data: DataSchema.optional(),
  options: OptionsSchema.optional(),
  history: z.array(TurnSchema).max(100).optional().openapi({
    description: "The conversation so far, oldest first. When `input` and `data` are empty and " +
      '`options.instruction` refers back ("summarize that"), the last answer is the input.',
  }),
}).openapi("OperationRequest");
export type OperationBody = z.infer<typeof OperationBodySchema>;

export const ProcessBodySchema = OperationBodySchema.extend({
  operation: z.enum(OPERATIONS).openapi({ example: "summarize" }),
}).openapi("ProcessRequest");

export const LegacyProcessBodySchema = z.object({
  task_type: z.string().refine((value) => apiOperationOf(value) !== undefined, {
    message: `unknown task_type; expected one of ${Object.keys(API_OPERATIONS).join(", ")}`,
  }).openapi({ example: "summarization" }),
  data: z.unknown().optional().openapi({
    description: "Text, a list of numbers, a list of records or an object.",
  }),
  instructions: z.string().max(100_000).optional().openapi({
    description: "Counts as the text input when `data` is not text; otherwise guides the LLM.",
  }),
  target_format: z.string().max(100).optional(),
}).openapi("LegacyProcessRequest");
export type LegacyProcessBody = z.infer<typeof LegacyProcessBodySchema>;

export const OperationResponseSchema = z.object({
  operation: z.enum(OPERATIONS),
  summary: z.string().openapi({ description: "A one-paragraph, human-readable result." }),
  insights: z.array(z.string()).openapi({ description: "Short findings, one per line." }),
  result: z.record(z.string(), z.unknown()).openapi({
    description: "Operation-specific details (statistics, sentences, entities).",
  }),
  offline: z.boolean().openapi({ description: "True when no LLM was used." }),
  model: z.string().optional().openapi({ description: "The LLM used, when one was." }),
  no_material: z.boolean().optional().openapi({
    description: "True when the request brought nothing to work on: `summary` says so.",
  }),
  usage: z.object({
    input_tokens: z.number().int(),
    output_tokens: z.number().int(),
    total_tokens: z.number().int(),
    model: z.string(),
    by_model: z.array(z.object({
      model: z.string(),
      input_tokens: z.number().int(),
      output_tokens: z.number().int(),
    })).optional(),
  }).optional().openapi({
    description: "The tokens the LLM server reported for this answer (absent offline).",
  }),
}).openapi("OperationResponse");
export type OperationResponse = z.infer<typeof OperationResponseSchema>;

export const LegacyProcessResponseSchema = OperationResponseSchema.extend({
  task_type: z.string(),
  status: z.literal("completed"),
}).openapi("LegacyProcessResponse");

export const ErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ field: z.string().optional(), message: z.string() }).loose())
      .optional(),
  }),
}).openapi("Error");

export const HealthSchema = z.object({
  status: z.literal("healthy"),
  service: z.string(),
  version: z.string(),
  llm_provider: z.string(),
  offline: z.boolean(),
}).openapi("Health");

export const CapabilitiesSchema = z.object({
  name: z.string(),
  description: z.string(),
  version: z.string(),
  capabilities: z.array(z.string()),
  operations: z.array(z.object({
    name: z.enum(OPERATIONS),
    route: z.string(),
    capability: z.string(),
    description: z.string(),
    task_types: z.array(z.string()),
  })),
  llm: z.object({ provider: z.string(), model: z.string().nullable() }),
}).openapi("Capabilities");
