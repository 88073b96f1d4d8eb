/**
 * The whole stack the UI tests run against, all real servers on port 0: a scripted agent, an
 * orchestrator on a fresh SQLite database with that agent registered, and the UI service as its
 * own process (ui/main.ts), given islands built once per test module into a folder of its own.
 *
 * The UI runs as a process, not imported: its Preact types pull the DOM library into whatever
 * program imports them, which the rest of the repository's type check must not see.
 */
import { openTestDatabase } from "@app/db/testing";
import { buildIslands } from "../ui/build.ts";
import { type ServiceProcess, startServiceProcess } from "../scripts/service_process.ts";
import { type RunningOrchestrator, startOrchestrator } from "./helpers/orchestrator.ts";
import {
  type ScriptedAgent,
  type ScriptedAgentOptions,
  startScriptedAgent,
} from "./helpers/scripted_agent.ts";

export interface UiStack {
  ui: string;
  orch: RunningOrchestrator;
  agent: ScriptedAgent;
  process: ServiceProcess;
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

/** The UI service as a process, pointed at an orchestrator. */
export async function startUiProcess(
  orchestratorUrl: string,
  env: Record<string, string> = {},
): Promise<ServiceProcess> {
  return await startServiceProcess(
    "ui/main.ts",
    { ORCHESTRATOR_URL: orchestratorUrl, UI_PORT: "0", ...env },
    { timeoutMs: 30_000, args: ["--no-build", `--islands-dir=${await builtIslands()}`] },
  );
}

export async function startUiStack(
  options: {
    agentHangs?: boolean;
    agentDelayMs?: number;
    apiKey?: string;
    /** Scripts the agent's answers (see ScriptedAgentOptions.behave). */
    behave?: ScriptedAgentOptions["behave"];
    /** The agent's answer to a successful call, instead of its default. */
    answer?: ScriptedAgentOptions["answer"];
  } = {},
): Promise<UiStack> {
  const database = await openTestDatabase("sqlite");
  const agent = startScriptedAgent({
    name: "Researcher",
    capabilities: ["research", "analysis", "summarization"],
    // A hanging agent keeps a task running until it is cancelled (the call is then aborted).
    behave: options.agentHangs ? () => ({ hang: true }) : options.behave,
    answer: options.answer,
    delayMs: options.agentDelayMs,
    // Its answers report LLM usage, as the built-in agents do: the pages show tokens and cost.
    usage: { input_tokens: 1200, output_tokens: 34, model: "gpt-4o-mini" },
  });
  const keyEnv: Record<string, string> = options.apiKey ? { API_KEY: options.apiKey } : {};
  const orch = await startOrchestrator(database.url, keyEnv);
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
  const process = await startUiProcess(orch.url, keyEnv);
  const ui = process.url;
  return {
    ui,
    orch,
    agent,
    process,
    async page(path) {
      const response = await fetch(ui + path);
      return { status: response.status, html: await response.text(), headers: response.headers };
    },
    async close() {
      await process.kill("SIGTERM");
      await orch.close();
      await agent.close();
      await database.close();
    },
  };
}
