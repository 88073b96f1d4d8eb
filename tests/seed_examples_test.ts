/**
 * The Python original's README examples, run as written (curl and Python `requests`) against
 * the real services: orchestrator, A2A agent and API agent as separate processes, the agents
 * registered by the orchestrator itself from A2A_AGENT_URL and API_AGENT_URL.
 */
import { assert, assertEquals, assertStringIncludes } from "@app/lib/assert";
import { dbTest } from "@app/db/testing";
import { type ServiceProcess, startServiceProcess } from "../scripts/service_process.ts";
import { freePort } from "./helpers/free_port.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

async function run(command: string, args: string[]): Promise<string> {
  const output = await new Deno.Command(command, { args, stdout: "piped", stderr: "piped" })
    .output();
  const text = new TextDecoder().decode(output.stdout);
  assertEquals(output.code, 0, `${command} failed: ${new TextDecoder().decode(output.stderr)}`);
  return text;
}

async function hasPythonRequests(): Promise<boolean> {
  try {
    const out = await new Deno.Command("python3", { args: ["-c", "import requests"] }).output();
    return out.code === 0;
  } catch {
    return false;
  }
}

async function until<T>(fn: () => Promise<T | undefined>, what: string, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = await fn();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

dbTest(
  "[seed] the original's curl and Python examples against the real services",
  async ({ url }) => {
    const [a2aPort, apiPort] = [freePort(), freePort()];
    const env = {
      DATABASE_URL: url,
      LLM_PROVIDER: "offline",
      A2A_AGENT_PORT: String(a2aPort),
      API_AGENT_PORT: String(apiPort),
      A2A_AGENT_URL: `http://127.0.0.1:${a2aPort}`,
      API_AGENT_URL: `http://127.0.0.1:${apiPort}`,
      ORCHESTRATOR_PORT: "0",
      HEALTH_CHECK_INTERVAL_MS: "600000",
    };
    const services: ServiceProcess[] = [];
    try {
      services.push(await startServiceProcess("agents/a2a/main.ts", env));
      services.push(await startServiceProcess("agents/api/main.ts", env));
      const orchestrator = await startServiceProcess("orchestrator/main.ts", env);
      services.push(orchestrator);
      const base = orchestrator.url.replace("127.0.0.1", "localhost");
      const agents = await until(async () => {
        const list = await (await fetch(`${base}/api/agents`)).json() as Json[];
        return list.length === 2 ? list : undefined;
      }, "the built-in agents to register themselves");
      const a2a = agents.find((a) => a.agent_type === "a2a_server")!;
      assert(a2a.capabilities.includes("research"), JSON.stringify(a2a));
      assertEquals(agents.every((a) => a.status === "active"), true);

      // README: "Using curl", verbatim but for the port.
      const created = JSON.parse(
        await run("curl", [
          "-s",
          "-X",
          "POST",
          `${base}/api/tasks`,
          "-H",
          "Content-Type: application/json",
          "-d",
          '{\n    "description": "Research recent AI developments",\n    "user_id": "test_user"\n  }',
        ]),
      );
      assertEquals(created.task_id, 1);
      assert(String(created.session_id).startsWith("sess_"));
      assertEquals(created.plan.steps[0].agent_id, a2a.id);
      const task = await until(async () => {
        const t = JSON.parse(await run("curl", ["-s", `${base}/api/tasks/1`]));
        return t.status === "completed" || t.status === "failed" ? t : undefined;
      }, "task 1");
      assertEquals(task.status, "completed", JSON.stringify(task));
      assert(task.result.summary.length > 0);
      assert(Array.isArray(task.result.insights));
      assertEquals(task.steps[0].status, "completed");
      assertEquals(task.steps[0].output_data.offline, true, "the offline graph says so");
      assert(task.completed_at);

      // README: "Using Python".
      if (await hasPythonRequests()) {
        const script = `
import requests, json, time

# Create task
response = requests.post(
    "${base}/api/tasks",
    json={
        "description": "Summarize the benefits of AI",
        "user_id": "user123"
    }
)
task = response.json()

# Get task status
task_status = requests.get(
    f"${base}/api/tasks/{task['task_id']}"
).json()

print(json.dumps(task_status))
`;
        const printed = JSON.parse(await run("python3", ["-c", script]));
        assertEquals(printed.description, "Summarize the benefits of AI");
        const summarized = await until(async () => {
          const t = await (await fetch(`${base}/api/tasks/${printed.id}`)).json();
          return t.status === "completed" || t.status === "failed" ? t : undefined;
        }, "the Python example's task");
        assertEquals(summarized.status, "completed", JSON.stringify(summarized));
        // A topic with no material is researched first, then summarized by the API agent.
        assertEquals(summarized.steps.map((s: Json) => [s.capability, s.agent_name]), [
          ["research", a2a.name],
          ["summarization", agents.find((a) => a.agent_type === "api")!.name],
        ]);
        assertStringIncludes(summarized.result.summary.toLowerCase(), "ai");
      } else {
        console.log("skipped the Python example: python3 with `requests` is not installed");
      }

      // Two agents, one request: research on the A2A agent, the summary on the API agent.
      const chained = await (await fetch(`${base}/api/tasks`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ description: "Research solar power adoption and summarize it" }),
      })).json();
      const done = await until(async () => {
        const t = await (await fetch(`${base}/api/tasks/${chained.task_id}`)).json();
        return t.status === "completed" || t.status === "failed" ? t : undefined;
      }, "the two-agent task");
      assertEquals(done.status, "completed", JSON.stringify(done.error));
      assertEquals(done.steps.map((s: Json) => s.capability), ["research", "summarization"]);
      assert(done.steps[0].agent_id !== done.steps[1].agent_id, "two different agents");
      assertStringIncludes(JSON.stringify(done.steps[0].output_data).toLowerCase(), "solar");
    } finally {
      for (const service of services.reverse()) await service.kill("SIGTERM");
    }
  },
);
