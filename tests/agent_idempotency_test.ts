/**
 * An agent call repeated after its orchestrator was SIGKILLed mid-step is answered from the
 * agent's store: the built-in agents (REST and A2A) honour the step's idempotency key, so the
 * step's work runs once although the step was sent twice.
 */
import { assert, assertEquals } from "@app/lib/assert";
import { AgentAnswers, type Database } from "@app/db";
import { dbTest } from "@app/db/testing";
import { parseConfig, silentLogger } from "@app/lib";
import type { Kysely } from "kysely";
import { createApp as createApiAgent } from "../agents/api/app.ts";
import { createApp as createA2aAgent } from "../agents/a2a/app.ts";
import { freePort } from "./helpers/free_port.ts";
import { orchestratorEnv } from "./helpers/orchestrator_env.ts";
import { type ServiceProcess, startServiceProcess } from "../scripts/service_process.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

interface RunningAgent {
  url: string;
  answers: AgentAnswers;
  registration: Json;
  close(): Promise<void>;
}

const config = parseConfig({ LLM_PROVIDER: "offline" });

/** A built-in agent in this process, its work slowed so a call can be caught in flight. */
function startAgent(kind: "api" | "a2a", db: Kysely<Database>): RunningAgent {
  const answers = new AgentAnswers(db, { agent: `${kind}-agent`, ttlMs: 60_000 });
  // The A2A card must name the URL the agent is really reached at: the port is chosen first.
  const port = freePort();
  const url = `http://127.0.0.1:${port}`;
  const app = kind === "api"
    ? createApiAgent({ config, logger: silentLogger, answers, workDelayMs: 1_500 })
    : createA2aAgent({
      config,
      logger: silentLogger,
      llm: null,
      db,
      answers,
      nodeDelayMs: 400,
      publicUrl: url,
    });
  const server = Deno.serve({ port, hostname: "127.0.0.1", onListen() {} }, app.fetch);
  return {
    url,
    answers,
    registration: {
      name: `Built-in ${kind}`,
      agent_type: kind === "api" ? "api" : "a2a_server",
      endpoint: url,
      capabilities: ["research"],
    },
    close: () => server.shutdown(),
  };
}

async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

for (const kind of ["api", "a2a"] as const) {
  dbTest(
    `[agent idempotency] ${kind} agent: a step resent after its orchestrator's SIGKILL runs once`,
    async ({ url, db }) => {
      const agent = startAgent(kind, db);
      const env = orchestratorEnv(url, { LEASE_MS: "1000", RATE_LIMIT_PER_MINUTE: "0" });
      const processes: ServiceProcess[] = [];
      try {
        processes.push(await startServiceProcess("orchestrator/main.ts", env));
        const post = async (path: string, body: unknown) => {
          const response = await fetch(processes.at(-1)!.url + path, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(body),
          });
          if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
          return await response.json();
        };
        await post("/api/agents", agent.registration);
        const created = await post("/api/tasks", { description: "Research durable agents" });
        assertEquals(created.plan.steps.length, 1);

        // The step is in the agent's hands when its orchestrator dies.
        await waitFor(() => agent.answers.stats.computed === 1, "the agent to start the step");
        assertEquals((await processes[0].kill("SIGKILL")).signal, "SIGKILL");

        processes.push(await startServiceProcess("orchestrator/main.ts", env));
        let task: Json = {};
        await waitFor(async () => {
          const response = await fetch(`${processes[1].url}/api/tasks/${created.task_id}`);
          task = await response.json();
          return ["completed", "failed"].includes(task.status);
        }, "the task to finish on the second process");
        assertEquals(task.status, "completed", JSON.stringify(task));
        assertEquals(task.attempts, 2, "the task was taken over");
        assertEquals(task.steps[0].attempts, 2, "and its step sent again");
        assertEquals(agent.answers.stats, { computed: 1, replayed: 1 }, "the work ran once");
        assert(String(task.steps[0].output_data.summary).length > 0);
      } finally {
        for (const p of processes) await p.kill("SIGTERM");
        await agent.close();
      }
    },
  );
}
