/**
 * `deno task orchestrator:cluster`: several orchestrator processes on one port (SO_REUSEPORT).
 * Tasks submitted on connections the kernel spreads over them all run once, and event streams
 * opened on other connections (so, often, on another process than the one running the task)
 * follow each task to its end, on SQLite and on Postgres.
 */
import { assertEquals } from "@app/lib/assert";
import { dbTest } from "@app/db/testing";
import { startScriptedAgent } from "./helpers/scripted_agent.ts";
import { startOrchestrator } from "./helpers/orchestrator.ts";
import { orchestratorEnv } from "./helpers/orchestrator_env.ts";
import { readSse } from "./helpers/sse.ts";
import { startServiceProcess } from "../scripts/service_process.ts";

const PROCESSES = 2;
const TASKS = 24;

dbTest(
  "[cluster] processes on one port share the tasks, and SSE follows each across them",
  async ({ url, db }) => {
    const agent = startScriptedAgent({ name: "Instant", capabilities: ["research"] });
    // The agent is registered before the processes start, so every one of them knows it.
    const setup = await startOrchestrator(url, {}, { execute: false });
    await setup.api("/api/agents", {
      method: "POST",
      json: { name: "Instant", agent_type: "api", endpoint: agent.url, capabilities: ["research"] },
    });
    await setup.close();

    const cluster = await startServiceProcess(
      "orchestrator/cluster.ts",
      orchestratorEnv(url, {
        ORCHESTRATOR_PROCESSES: String(PROCESSES),
        RATE_LIMIT_PER_MINUTE: "0",
      }),
      { timeoutMs: 60_000 },
    );
    // Each connection its own: the kernel picks a process per connection.
    const client = Deno.createHttpClient({ poolMaxIdlePerHost: 0 });
    try {
      while (cluster.output.filter((line) => line.includes('"listening"')).length < PROCESSES) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const listening = cluster.output.filter((line) => line.includes('"listening"'))
        .map((line) => JSON.parse(line).url);
      assertEquals(new Set(listening).size, 1, "one port for all");

      const ends = await Promise.all(Array.from({ length: TASKS }, async (_, i) => {
        const response = await fetch(`${cluster.url}/api/tasks`, {
          client,
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ description: `Research cluster ${i}` }),
        });
        const created = await response.json();
        assertEquals(response.status, 201, JSON.stringify(created));
        const events = await readSse(`${cluster.url}/api/tasks/${created.task_id}/events`, {
          timeoutMs: 30_000,
        });
        return events.at(-1)?.event;
      }));
      assertEquals(ends, Array(TASKS).fill("task.completed"));
      const completedSteps = await db.selectFrom("task_steps").select("id")
        .where("status", "=", "completed").execute();
      assertEquals(completedSteps.length, TASKS, "each step ran once");
      assertEquals(agent.calls.size, TASKS);
      assertEquals([...agent.calls.values()].every((n) => n === 1), true, "no step twice");
    } finally {
      client.close();
      await cluster.kill("SIGTERM");
      await agent.close();
    }
  },
);
