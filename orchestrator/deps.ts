/** What the orchestrator's routes need, built once by main.ts (or a test). */
import type { Kysely } from "kysely";
import type { Database, WriteBatcher } from "@app/db";
import type { Config, Logger } from "@app/lib";
import type { AgentCache } from "./agent_cache.ts";
import type { Authenticator } from "./auth/authenticator.ts";
import type { TaskLifecycle } from "./lifecycle/lifecycle.ts";
import type { Metrics } from "./metrics.ts";
import type { Notifier } from "./notifier.ts";
import type { Planner } from "./planner.ts";
import type { Registry } from "./registry.ts";

export interface OrchestratorDeps {
  config: Config;
  db: Kysely<Database>;
  /** Group commit for the hot write paths. */
  writes: WriteBatcher;
  logger: Logger;
  planner: Planner;
  registry: Registry;
  notifier: Notifier;
  metrics: Metrics;
  agents: AgentCache;
  /** Every task and step state change goes through it. */
  lifecycle: TaskLifecycle;
  /** Who a request comes from (keys, JWTs, or an open service). */
  auth: Authenticator;
}
