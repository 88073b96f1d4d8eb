import { freePort } from "./free_port.ts";

/**
 * The environment for an orchestrator process in a test: its database, an ephemeral port, the
 * offline planner, no health-check chatter, and built-in agent URLs that go nowhere (tests
 * register the agents they want).
 */
export function orchestratorEnv(
  databaseUrl: string,
  overrides: Record<string, string> = {},
): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    ORCHESTRATOR_PORT: "0",
    LLM_PROVIDER: "offline",
    HEALTH_CHECK_INTERVAL_MS: "600000",
    A2A_AGENT_URL: "http://127.0.0.1:9",
    API_AGENT_URL: "http://127.0.0.1:9",
    ...overrides,
  };
}

/** Ports for the built-in agents as processes, and the URLs the orchestrator finds them at. */
export function builtInAgentPorts(): Record<string, string> {
  const [a2aPort, apiPort] = [freePort(), freePort()];
  return {
    A2A_AGENT_PORT: String(a2aPort),
    API_AGENT_PORT: String(apiPort),
    A2A_AGENT_URL: `http://127.0.0.1:${a2aPort}`,
    API_AGENT_URL: `http://127.0.0.1:${apiPort}`,
  };
}
