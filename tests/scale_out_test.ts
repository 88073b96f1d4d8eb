/**
 * Several orchestrator processes on one Postgres share the work: every task runs, none twice,
 * one process killed with SIGKILL loses nothing, and events reach an SSE client connected to
 * a process other than the one running the task. The agent honours the steps' idempotency
 * keys, so even the steps in flight on the killed process do their work once.
 */
import { assert, assertEquals } from "@app/lib/assert";
import { openTestDatabase, postgresTestUrl } from "@app/db/testing";
import { startScriptedAgent } from "./helpers/scripted_agent.ts";
import { orchestratorEnv } from "./helpers/orchestrator_env.ts";
import { readSse } from "./helpers/sse.ts";
import { type ServiceProcess, startServiceProcess } from "../scripts/service_process.ts";

const TASKS = 1000;

Deno.test({
  name: "[scale-out] 3 orchestrators, 1000 tasks, one SIGKILLed: all run, none twice (postgres)",
  ignore: !postgresTestUrl(),
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const database = await openTestDatabase("postgres");
    const agent = startScriptedAgent({
      name: "Counter",
      capabilities: ["research"],
      delayMs: 5,
      honourKeys: true,
    });
    const env = orchestratorEnv(database.url, {
      LEASE_MS: "2000",
      RATE_LIMIT_PER_MINUTE: "0",
      DATABASE_POOL_SIZE: "5",
    });
    const processes: ServiceProcess[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        processes.push(await startServiceProcess("orchestrator/main.ts", env));
      }
      const post = async (base: string, path: string, body: unknown) => {
        const response = await fetch(base + path, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        });
        if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
        return await response.json();
      };
      await post(processes[0].url, "/api/agents", {
        name: "Counter",
        agent_type: "api",
        endpoint: agent.url,
        capabilities: ["research"],
      });

      // Events of a task run anywhere reach a subscriber on another process.
      const watched = await post(processes[0].url, "/api/tasks", {
        description: "Research watched",
      });
      const sse = readSse(`${processes[2].url}/api/tasks/${watched.task_id}/events`, {
        timeoutMs: 30_000,
      });

      let next = 0;
      let killed: Set<number> | undefined;
      const submitters = Array.from({ length: 16 }, async (_, w) => {
        while (next < TASKS) {
          const n = next++;
          const alive = killed ? processes.filter((_, i) => i !== 1) : processes;
          const description = `Research item ${n}`;
          try {
            await post(alive[(n + w) % alive.length].url, "/api/tasks", { description });
          } catch (error) {
            // A request in flight to the killed process: accepted or not, the database says.
            if (!killed) throw error;
            const accepted = await database.db.selectFrom("tasks").select("id")
              .where("description", "=", description).executeTakeFirst();
            if (!accepted) await post(processes[0].url, "/api/tasks", { description });
          }
          if (n === Math.floor(TASKS / 3) && !killed) {
            // What had completed before the kill must never run again.
            const done = await database.db.selectFrom("tasks").select("id")
              .where("status", "=", "completed").execute();
            killed = new Set(done.map((t) => t.id));
            await processes[1].kill("SIGKILL");
          }
        }
      });
      await Promise.all(submitters);
      assert(killed, "a process was killed mid-run");

      const deadline = Date.now() + 60_000;
      let finished = 0;
      while (Date.now() < deadline) {
        const rows = await database.db.selectFrom("tasks").select("status").execute();
        finished = rows.filter((r) => r.status === "completed").length;
        if (finished === TASKS + 1) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      assertEquals(finished, TASKS + 1, "every task completed (none lost)");

      const events = await sse;
      assertEquals(events.at(-1)?.event, "task.completed");

      // Steps in flight on the killed process were sent again by the process that took their
      // task over, with the same key: the agent answered them without working again.
      const duplicates = [...agent.successes.entries()].filter(([, n]) => n > 1);
      assertEquals(duplicates, [], "no step's work ran twice");
      // And a step completed before the kill was never even sent again.
      const tasks = await database.db.selectFrom("tasks").select(["id", "description"]).execute();
      const resentAfterCompleting = tasks.filter((t) =>
        killed!.has(t.id) && agent.calls.get(t.description) !== 1
      );
      assertEquals(resentAfterCompleting, [], "no step completed before the kill was sent again");
      console.log(
        `tasks run: ${TASKS + 1}, lost: 0, work repeated: 0, ` +
          `steps resent after the kill and answered by key: ${agent.replays()}`,
      );
    } finally {
      for (const p of processes) await p.kill("SIGTERM");
      await agent.close();
      await database.close();
    }
  },
});
