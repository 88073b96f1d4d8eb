/**
 * Every setting in one zod schema. Read once at start-up from the environment, over a `.env`
 * file in the working directory (real environment variables win), and handed down from there.
 */
import { z } from "zod";
import { parse as parseDotenv } from "dotenv";
import { parsePrices } from "./prices.ts";

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const url = (fallback: string) => z.url({ protocol: /^https?$/ }).default(fallback);
const optionalText = z.string().trim().min(1).optional().catch(undefined);
/** "true"/"1"/"yes" (any case) or "false"/"0"/"no"; empty or unset is the default. */
const flag = (fallback: boolean) =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() !== "" ? v.trim().toLowerCase() : undefined),
    z.enum(["true", "1", "yes", "false", "0", "no"]).optional()
      .transform((v) => (v === undefined ? fallback : ["true", "1", "yes"].includes(v))),
  );
/** A comma-separated list; empty or unset is an empty list. */
const list = z.preprocess(
  (v) => (typeof v === "string" ? v : ""),
  z.string().transform((v) => v.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean)),
);

export const SQLITE_SYNCHRONOUS_MODES = ["NORMAL", "FULL"] as const;

export const LLM_PROVIDERS = ["openai", "groq", "openai_compatible", "offline"] as const;
export type LlmProvider = typeof LLM_PROVIDERS[number];

/** Every setting, by environment variable name (exported for tests and tooling). */
export const ConfigSchema = z.object({
  DATABASE_URL: z.string().trim().min(1).default("sqlite:./agent_orchestrator.db"),
  DATABASE_POOL_SIZE: positiveInt(10),
  // How SQLite commits: NORMAL (WAL, no fsync per commit: a power loss can lose the last
  // commits, a process crash cannot) or FULL (an fsync per commit). See README "Durability".
  SQLITE_SYNCHRONOUS: z.preprocess(
    (v) => (typeof v === "string" && v.trim() !== "" ? v.trim().toUpperCase() : undefined),
    z.enum(SQLITE_SYNCHRONOUS_MODES).default("NORMAL"),
  ),

  LLM_PROVIDER: z.preprocess(
    (v) => (typeof v === "string" && v.trim() !== "" ? v.trim().toLowerCase() : undefined),
    z.enum(LLM_PROVIDERS).optional(),
  ),
  OPENAI_API_KEY: optionalText,
  GROQ_API_KEY: optionalText,
  OPENAI_BASE_URL: z.preprocess((v) => (v === "" ? undefined : v), z.url().optional()),
  GROQ_BASE_URL: url("https://api.groq.com/openai/v1"),
  LLM_MODEL: optionalText,
  LLM_TIMEOUT_MS: positiveInt(60_000),
  LLM_MAX_RETRIES: z.coerce.number().int().min(0).default(2),

  HOST: z.string().trim().min(1).default("0.0.0.0"),
  ORCHESTRATOR_PORT: port(8000),
  // Several orchestrator processes on one port (`deno task orchestrator:cluster`): how many
  // ("auto": one per core), and the SO_REUSEPORT each of them listens with.
  ORCHESTRATOR_PROCESSES: z.preprocess(
    (v) => {
      if (typeof v !== "string" || v.trim() === "") return undefined;
      return v.trim().toLowerCase() === "auto" ? navigator.hardwareConcurrency : v;
    },
    z.coerce.number().int().positive().max(256).default(1),
  ),
  REUSE_PORT: flag(false),
  A2A_AGENT_PORT: port(8001),
  API_AGENT_PORT: port(8002),
  UI_PORT: port(3000),
  ORCHESTRATOR_URL: url("http://localhost:8000"),
  A2A_AGENT_URL: url("http://localhost:8001"),
  API_AGENT_URL: url("http://localhost:8002"),
  FRONTEND_URL: url("http://localhost:3000"),

  API_KEY: optionalText,
  LOG_LEVEL: z.preprocess(
    (v) => (typeof v === "string" ? v.trim().toLowerCase() : v),
    z.enum(["debug", "info", "warn", "error"]).default("info"),
  ),
  MAX_BODY_BYTES: positiveInt(1_048_576),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(600),

  WORKER_CONCURRENCY: positiveInt(64),
  A2A_GRAPH_WORKERS: z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    z.coerce.number().int().min(0).optional(),
  ),
  STEP_CONCURRENCY: positiveInt(4),
  STEP_TIMEOUT_MS: positiveInt(120_000),
  STEP_MAX_RETRIES: z.coerce.number().int().min(0).default(2),
  LEASE_MS: positiveInt(30_000),
  HEALTH_CHECK_INTERVAL_MS: positiveInt(30_000),
  IDEMPOTENCY_TTL_MS: positiveInt(86_400_000),
  // Finished tasks' event logs are compacted to their terminal event after this many days
  // (fractions allowed); 0 keeps everything. Tasks, steps and sessions are kept.
  TASK_RETENTION_DAYS: z.coerce.number().min(0).default(0),
  // Human in the loop (issue 15): every task's plan waits for approval; how long it may.
  REQUIRE_PLAN_APPROVAL: flag(false),
  APPROVAL_TIMEOUT_MS: positiveInt(86_400_000),
  WEBHOOK_URL: z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    z.url({ protocol: /^https?$/ }).max(2_000).optional(),
  ),
  WEBHOOK_SECRET: optionalText,
  WEBHOOK_MAX_ATTEMPTS: positiveInt(10),
  WEBHOOK_RETRY_BASE_MS: positiveInt(1_000),

  // Who may do what (issue 21): see README "Security".
  AUTH_JWKS_URL: z.preprocess((v) => (v === "" ? undefined : v), z.url().optional()),
  AUTH_ISSUER: optionalText,
  AUTH_AUDIENCE: optionalText,
  AUTH_ROLE_CLAIM: z.string().trim().min(1).default("role"),
  ALLOW_UNAUTHENTICATED: flag(false),
  AGENT_API_KEY: optionalText,
  OUTBOUND_ALLOW_PRIVATE: flag(true),
  OUTBOUND_ALLOWLIST: list,
  UI_SESSION_HOURS: positiveInt(12),

  // What tasks cost, and where their traces are (issue 16): see README "Observability".
  /** JSON, checked here and parsed where it is used (`parsePrices`). */
  LLM_PRICES: z.string().optional().superRefine((v, ctx) => {
    try {
      parsePrices(v);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: (error as Error).message });
    }
  }),
  DEFAULT_TASK_BUDGET_TOKENS: z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    z.coerce.number().int().positive().optional(),
  ),
  /** A trace's page in Jaeger or Tempo; `{trace_id}` is replaced. */
  TRACE_URL_TEMPLATE: z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    z.string().trim().includes("{trace_id}", { message: "must contain {trace_id}" }).optional(),
  ),
});

export type Config = z.infer<typeof ConfigSchema> & { LLM_PROVIDER: LlmProvider };

/** A setting that is missing or malformed; the message names each variable and what it expected. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** The provider in force: the one named, else the one whose key is present, else offline. */
function resolveProvider(env: z.infer<typeof ConfigSchema>): LlmProvider {
  if (env.LLM_PROVIDER) return env.LLM_PROVIDER;
  if (env.OPENAI_API_KEY) return "openai";
  if (env.GROQ_API_KEY) return "groq";
  if (env.OPENAI_BASE_URL) return "openai_compatible";
  return "offline";
}

const REQUIRED_FOR: Record<LlmProvider, (keyof Config)[]> = {
  openai: ["OPENAI_API_KEY"],
  groq: ["GROQ_API_KEY"],
  openai_compatible: ["OPENAI_BASE_URL"],
  offline: [],
};

export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) =>
      `${issue.path.join(".")}: ${issue.message}` +
      (issue.path[0] && env[String(issue.path[0])] !== undefined
        ? ` (got "${env[String(issue.path[0])]}")`
        : "")
    );
    throw new ConfigError(`invalid configuration:\n  ${problems.join("\n  ")}`);
  }
  const provider = resolveProvider(parsed.data);
  const missing = REQUIRED_FOR[provider].filter((key) => !parsed.data[key]);
  if (missing.length) {
    throw new ConfigError(
      `invalid configuration:\n  LLM_PROVIDER=${provider} needs ${missing.join(" and ")}, ` +
        `which is not set (set it in the environment or .env, or use LLM_PROVIDER=offline)`,
    );
  }
  return { ...parsed.data, LLM_PROVIDER: provider };
}

/** The `.env` file's variables under the real environment's, which win. */
export function readEnvironment(
  options: { envFile?: string; env?: Record<string, string> } = {},
): Record<string, string> {
  const path = options.envFile ?? ".env";
  let fromFile: Record<string, string> = {};
  try {
    fromFile = parseDotenv(Deno.readTextFileSync(path));
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return { ...fromFile, ...(options.env ?? Deno.env.toObject()) };
}

/** Reads `.env` and the environment and validates them; throws ConfigError naming bad variables. */
export function loadConfig(
  options: { envFile?: string; env?: Record<string, string> } = {},
): Config {
  return parseConfig(readEnvironment(options));
}
