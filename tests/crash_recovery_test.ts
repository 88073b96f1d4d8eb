/**
 * An orchestrator killed with SIGKILL mid-task loses nothing: a new process takes the task
 * over when the lease expires, and the agent's own counters show no completed step ran again.
 */
import { assert, assertEquals } from "@app/lib/assert";
import { dbTest } from "@app/db/testing";
import { startScriptedAgent } from "./helpers/scripted_agent.ts";
import { orchestratorEnv } from "./helpers/orchestrator_env.ts";
import { startServiceProcess } from "../scripts/service_process.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

const STEPS = ["Research alpha", "Research beta", "Summarize both"];

async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

dbTest(
  "[durability] SIGKILL mid-task: a restarted orchestrator finishes it, no completed step re-run",
  async ({ url }) => {
    const agent = startScriptedAgent({
      name: "Worker",
      capabilities: ["research", "summarization"],
      delayMs: 700,
    });
    const env = orchestratorEnv(url, {
      LEASE_MS: "1500",
    });
    const first = await startServiceProcess("orchestrator/main.ts", env);
    let second: Awaited<ReturnType<typeof startServiceProcess>> | undefined;
    try {
      const post = (base: string, path: string, body: unknown) =>
        fetch(base + path, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        }).then((r) => r.json());
      await post(first.url, "/api/agents", {
        name: "Worker",
        agent_type: "api",
        endpoint: agent.url,
        capabilities: agent.capabilities,
      });
      const created = await post(first.url, "/api/tasks", {
        description: `${STEPS[0]}. Then ${STEPS[1].toLowerCase()}. Then ${STEPS[2].toLowerCase()}.`,
      });
      assertEquals(created.plan.steps.map((s: Json) => s.dependencies), [[], [1], [2]]);

      // Kill the process while step 2 is in the agent's hands (step 1 is done by then).
      await waitFor(() => agent.calls.get(STEPS[1]) === 1, "step 2 to start");
      const status = await first.kill("SIGKILL");
      assertEquals(status.signal, "SIGKILL");

      second = await startServiceProcess("orchestrator/main.ts", env);
      let task: Json = {};
      await waitFor(async () => {
        task = await (await fetch(`${second!.url}/api/tasks/${created.task_id}`)).json();
        return ["completed", "failed"].includes(task.status);
      }, "the task to finish on the second process");

      const events = await (await fetch(`${second.url}/api/tasks/${created.task_id}/events`))
        .text();
      const story = events.split("\n").filter((l) => /^(event|data):/.test(l)).join("\n");
      assertEquals(task.status, "completed", JSON.stringify(task));
      assertEquals(task.steps.map((s: Json) => s.status), ["completed", "completed", "completed"]);
      assertEquals(
        agent.calls.get(STEPS[0]),
        1,
        "step 1 completed before the crash and never ran again",
      );
      assertEquals(
        agent.calls.get(STEPS[1]),
        2,
        `step 2 was interrupted, so it ran again\n${story}`,
      );
      assertEquals(agent.calls.get(STEPS[2]), 1);
      assert(task.attempts >= 2, "the task was claimed twice");
      assert(events.includes("event: task.resumed"), "the takeover is in the task's events");
    } finally {
      await first.kill("SIGKILL");
      await second?.kill("SIGTERM");
      await agent.close();
    }
  },
);

dbTest(
  "[durability] SIGTERM hands leases back so a new process resumes at once",
  async ({ url }) => {
    const agent = startScriptedAgent({ name: "Worker", capabilities: ["research"], delayMs: 600 });
    const env = orchestratorEnv(url, {
      LEASE_MS: "60000", // far longer than the test: only a handed-back lease lets it finish
    });
    const first = await startServiceProcess("orchestrator/main.ts", env);
    let second: Awaited<ReturnType<typeof startServiceProcess>> | undefined;
    try {
      const post = (path: string, body: unknown) =>
        fetch(first.url + path, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        }).then((r) => r.json());
      await post("/api/agents", {
        name: "Worker",
        agent_type: "api",
        endpoint: agent.url,
        capabilities: ["research"],
      });
      const created = await post("/api/tasks", { description: "Research graceful shutdowns" });
      await waitFor(
        () => (agent.calls.get("Research graceful shutdowns") ?? 0) === 1,
        "the step to start",
      );
      const status = await first.kill("SIGTERM");
      assertEquals(status.code, 0, first.output.join("\n"));
      second = await startServiceProcess("orchestrator/main.ts", env);
      let task: Json = {};
      await waitFor(
        async () => {
          task = await (await fetch(`${second!.url}/api/tasks/${created.task_id}`)).json();
          return task.status === "completed";
        },
        "the task to complete on the new process",
        10_000,
      );
      assertEquals(task.steps[0].status, "completed");
    } finally {
      await first.kill("SIGKILL");
      await second?.kill("SIGTERM");
      await agent.close();
    }
  },
);
