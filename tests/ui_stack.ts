/**
 * The whole stack the UI tests run against, all real servers on port 0: a scripted agent, an
 * orchestrator on a fresh SQLite database with that agent registered, and the UI server with
 * its islands built into a temporary folder.
 */
import { openTestDatabase } from "@app/db/testing";
import { parseConfig, silentLogger } from "@app/lib";
import { buildIslands, createApp } from "@app/ui";
import { type RunningOrchestrator, startOrchestrator } from "./helpers/orchestrator.ts";
import { type ScriptedAgent, startScriptedAgent } from "./helpers/scripted_agent.ts";

export interface UiStack {
  ui: string;
  orch: RunningOrchestrator;
  agent: ScriptedAgent;
  /** GET a UI page: status and HTML. */
  page(path: string): Promise<{ status: number; html: string; headers: Headers }>;
  close(): Promise<void>;
}

let islandsDir: Promise<string> | undefined;
/** Built once per test module, into a folder of its own (parallel modules never share one). */
export function builtIslands(): Promise<string> {
  islandsDir ??= Deno.makeTempDir({ prefix: "ui-islands-test-" })
    .then((dir) => buildIslands({ outDir: `${dir}/islands` }))
    .then((result) => result.outDir);
  return islandsDir;
}

export async function startUiStack(
  options: { agentHangs?: boolean; apiKey?: string } = {},
): Promise<UiStack> {
  const database = await openTestDatabase("sqlite");
  const agent = startScriptedAgent({
    name: "Researcher",
    capabilities: ["research", "analysis", "summarization"],
    // A hanging agent keeps a task running until it is cancelled (the call is then aborted).
    behave: options.agentHangs ? () => ({ hang: true }) : undefined,
  });
  const orch = await startOrchestrator(
    database.url,
    options.apiKey ? { API_KEY: options.apiKey } : {},
  );
  const registered = await orch.api("/api/agents", {
    method: "POST",
    headers: options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {},
    json: {
      name: agent.name,
      agent_type: "api",
      endpoint: agent.url,
      capabilities: agent.capabilities,
    },
  });
  if (registered.status !== 201) throw new Error(`register: ${JSON.stringify(registered.body)}`);
  const app = createApp({
    config: parseConfig({}),
    logger: silentLogger,
    orchestratorUrl: orch.url,
    apiKey: options.apiKey,
    islandsDir: await builtIslands(),
  });
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, app.fetch);
  const ui = `http://127.0.0.1:${server.addr.port}`;
  return {
    ui,
    orch,
    agent,
    async page(path) {
      const response = await fetch(ui + path);
      return { status: response.status, html: await response.text(), headers: response.headers };
    },
    async close() {
      await server.shutdown();
      await orch.close();
      await agent.close();
      await database.close();
    },
  };
}
