/** Starts a real orchestrator (HTTP on port 0) on a test database, for integration tests. */
import { parseConfig, silentLogger } from "@app/lib";
import { createOrchestrator, type Orchestrator, type OrchestratorOptions } from "@app/orchestrator";

export interface RunningOrchestrator {
  url: string;
  orchestrator: Orchestrator;
  api<T = unknown>(
    path: string,
    init?: RequestInit & { json?: unknown },
  ): Promise<{ status: number; body: T; headers: Headers }>;
  /** `headers`: the caller's, where the orchestrator asks who is calling. */
  waitForTask(
    id: number,
    timeoutMs?: number,
    headers?: Record<string, string>,
  ): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function startOrchestrator(
  databaseUrl: string,
  env: Record<string, string> = {},
  options: OrchestratorOptions = {},
): Promise<RunningOrchestrator> {
  const config = parseConfig({
    DATABASE_URL: databaseUrl,
    LLM_PROVIDER: "offline",
    RATE_LIMIT_PER_MINUTE: "0",
    HEALTH_CHECK_INTERVAL_MS: "600000",
    ...env,
  });
  const orchestrator = await createOrchestrator(config, {
    logger: silentLogger,
    registerBuiltIns: false,
    executorOverrides: { retryBaseMs: 10 },
    ...options,
  });
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    orchestrator.app.fetch,
  );
  const url = `http://127.0.0.1:${server.addr.port}`;
  const api = async <T>(path: string, init: RequestInit & { json?: unknown } = {}) => {
    const headers = new Headers(init.headers);
    if (init.json !== undefined) headers.set("content-type", "application/json");
    const response = await fetch(url + path, {
      ...init,
      headers,
      body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: response.status, body: body as T, headers: response.headers };
  };
  return {
    url,
    orchestrator,
    api,
    async waitForTask(id, timeoutMs = 15_000, headers) {
      const deadline = Date.now() + timeoutMs;
      while (true) {
        const { body } = await api<Record<string, unknown>>(`/api/tasks/${id}`, { headers });
        if (["completed", "failed", "cancelled"].includes(String(body.status))) return body;
        if (Date.now() > deadline) {
          throw new Error(`task ${id} did not finish in ${timeoutMs} ms: ${JSON.stringify(body)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async close() {
      await server.shutdown();
      await orchestrator.close();
    },
  };
}
