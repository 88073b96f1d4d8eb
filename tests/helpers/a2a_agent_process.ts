/** Starts the built-in A2A agent as its own process (offline) on a database, on a free port. */
import { type ServiceProcess, startServiceProcess } from "../../scripts/service_process.ts";
import { freePort } from "./free_port.ts";

export async function startA2aAgentProcess(
  databaseUrl: string,
  options: { graphWorkers?: number } = {},
): Promise<ServiceProcess> {
  const port = freePort();
  return await startServiceProcess("agents/a2a/main.ts", {
    DATABASE_URL: databaseUrl,
    LLM_PROVIDER: "offline",
    A2A_AGENT_PORT: String(port),
    A2A_AGENT_URL: `http://127.0.0.1:${port}`,
    A2A_GRAPH_WORKERS: String(options.graphWorkers ?? 0),
  }, { timeoutMs: 60_000 });
}
