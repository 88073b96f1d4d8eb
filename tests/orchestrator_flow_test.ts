/** The orchestrator end to end against real agent servers, on SQLite and Postgres. */
import { assert, assertEquals, assertStringIncludes } from "@app/lib/assert";
import { dbTest } from "@app/db/testing";
import { startScriptedAgent } from "./helpers/scripted_agent.ts";
import { startOrchestrator } from "./helpers/orchestrator.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

async function register(
  api: Awaited<ReturnType<typeof startOrchestrator>>["api"],
  agent: { name: string; url: string; capabilities: string[] },
) {
  const res = await api<Json>("/api/agents", {
    method: "POST",
    json: {
      name: agent.name,
      agent_type: "api",
      endpoint: agent.url,
      capabilities: agent.capabilities,
    },
  });
  assertEquals(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

dbTest(
  "[orchestrator] the seed's curl example: create, then GET /api/tasks/1 completes",
  async ({ url }) => {
    const agent = startScriptedAgent({
      name: "Researcher",
      capabilities: ["research", "analysis"],
    });
    const orch = await startOrchestrator(url);
    try {
      await register(orch.api, agent);
      const created = await orch.api<Json>("/api/tasks", {
        method: "POST",
        json: { description: "Research recent AI developments", user_id: "test_user" },
      });
      assertEquals(created.status, 201);
      assertEquals(created.body.task_id, 1);
      assert(String(created.body.session_id).startsWith("sess_"));
      assertEquals(
        created.body.plan.steps.map((s: Json) => [s.step_number, s.agent_id, s.description]),
        [
          [1, 1, "Research recent AI developments"],
        ],
      );
      assert(created.body.created_at);
      const task = await orch.waitForTask(1) as Json;
      assertEquals(task.status, "completed");
      assertEquals(task.id, 1);
      assertStringIncludes(task.result.summary, "Researcher handled");
      assertEquals(task.result.insights, ["Researcher insight on Research recent AI developments"]);
      assertEquals(task.steps[0].status, "completed");
      assertEquals(task.steps[0].agent_name, "Researcher");
      assertStringIncludes(task.steps[0].output_data.summary, "Research recent AI developments");
      assert(task.completed_at);
      // The session keeps the conversation: the request and the answer.
      const messages = await orch.api<Json[]>(`/api/sessions/${task.session_id}/messages`);
      assertEquals(messages.body.map((m) => m.role), ["user", "assistant"]);
      assertEquals(messages.body[1].content, task.result.summary);
    } finally {
      await orch.close();
      await agent.close();
    }
  },
);

dbTest(
  "[orchestrator] 'Research X and summarize it' runs on two agents, output flows on",
  async ({ url }) => {
    const researcher = startScriptedAgent({ name: "Researcher", capabilities: ["research"] });
    const summarizer = startScriptedAgent({ name: "Summarizer", capabilities: ["summarization"] });
    const orch = await startOrchestrator(url);
    try {
      await register(orch.api, researcher);
      await register(orch.api, summarizer);
      const created = await orch.api<Json>("/api/tasks", {
        method: "POST",
        json: { description: "Research quantum computing and summarize it", user_id: "u" },
      });
      const plan = created.body.plan.steps.map((
        s: Json,
      ) => [s.capability, s.agent_name, s.dependencies]);
      assertEquals(plan, [["research", "Researcher", []], ["summarization", "Summarizer", [1]]]);
      const task = await orch.waitForTask(created.body.task_id) as Json;
      assertEquals(task.status, "completed", JSON.stringify(task));
      assertEquals(task.steps.map((s: Json) => s.agent_name), ["Researcher", "Summarizer"]);
      // The summarizer was given the researcher's output.
      assertStringIncludes(summarizer.inputs[0], 'Researcher handled "Research quantum computing"');
      assertStringIncludes(task.result.summary, "Summarizer handled");
      assertEquals(
        task.steps[1].input_data.dependencies["1"].summary,
        task.steps[0].output_data.summary,
      );
    } finally {
      await orch.close();
      await researcher.close();
      await summarizer.close();
    }
  },
);

dbTest("[orchestrator] independent steps overlap in time", async ({ url }) => {
  const agent = startScriptedAgent({
    name: "Slow",
    capabilities: ["research", "summarization"],
    delayMs: 300,
  });
  const orch = await startOrchestrator(url);
  try {
    await register(orch.api, agent);
    const created = await orch.api<Json>("/api/tasks", {
      method: "POST",
      json: { description: "Research solar power; research wind power. Then summarize both." },
    });
    assertEquals(created.body.plan.steps.map((s: Json) => s.dependencies), [[], [], [1, 2]]);
    const task = await orch.waitForTask(created.body.task_id) as Json;
    assertEquals(task.status, "completed");
    const [first, second] = agent.intervals;
    assert(
      first[0] < second[1] && second[0] < first[1],
      `steps 1 and 2 should overlap: ${agent.intervals}`,
    );
    const third = agent.intervals[2];
    assert(third[0] >= Math.max(first[1], second[1]) - 1, "step 3 waits for both");
  } finally {
    await orch.close();
    await agent.close();
  }
});

dbTest("[orchestrator] a step failing twice then succeeding is retried", async ({ url }) => {
  const agent = startScriptedAgent({
    name: "Flaky",
    capabilities: ["research"],
    behave: ({ n }) => (n <= 2 ? { status: 503 } : undefined),
  });
  const orch = await startOrchestrator(url);
  try {
    await register(orch.api, agent);
    const created = await orch.api<Json>("/api/tasks", {
      method: "POST",
      json: { description: "Research retries" },
    });
    const task = await orch.waitForTask(created.body.task_id) as Json;
    assertEquals(task.status, "completed");
    assertEquals(agent.calls.get("Research retries"), 3);
    assertEquals(task.steps[0].attempts, 1, "one run of the step, three calls inside it");
    const events = await orch.api<string>(`/api/tasks/${created.body.task_id}/events`);
    assertEquals((events.body.match(/event: step.retry/g) ?? []).length, 2);
  } finally {
    await orch.close();
    await agent.close();
  }
});

dbTest(
  "[orchestrator] an always-failing agent falls back to another; none left means failed",
  async ({ url }) => {
    const broken = startScriptedAgent({
      name: "Broken",
      capabilities: ["research"],
      behave: () => ({ status: 500 }),
    });
    const backup = startScriptedAgent({ name: "Backup", capabilities: ["research"] });
    const orch = await startOrchestrator(url, { STEP_MAX_RETRIES: "1" });
    try {
      await register(orch.api, broken);
      await register(orch.api, backup);
      const created = await orch.api<Json>("/api/tasks", {
        method: "POST",
        json: { description: "Research fallbacks" },
      });
      assertEquals(created.body.plan.steps[0].agent_name, "Broken");
      const task = await orch.waitForTask(created.body.task_id) as Json;
      assertEquals(task.status, "completed");
      assertEquals(task.steps[0].agent_name, "Backup");
      assertEquals(broken.calls.get("Research fallbacks"), 2, "one try and one retry");

      await orch.api(`/api/agents/2`, { method: "DELETE" });
      const doomed = await orch.api<Json>("/api/tasks", {
        method: "POST",
        json: { description: "Research doom" },
      });
      const failed = await orch.waitForTask(doomed.body.task_id) as Json;
      assertEquals(failed.status, "failed");
      assertStringIncludes(failed.error, "HTTP 500");
      assertEquals(failed.result.error, failed.error, "the original's clients read result.error");
      assertEquals(failed.steps[0].status, "failed");
    } finally {
      await orch.close();
      await broken.close();
      await backup.close();
    }
  },
);

dbTest(
  "[orchestrator] cancelling a running task aborts its in-flight agent call",
  async ({ url }) => {
    let aborted = false;
    const agent = startScriptedAgent({
      name: "Hanger",
      capabilities: ["research"],
      behave: () => ({ hang: true }),
    });
    const orch = await startOrchestrator(url);
    try {
      await register(orch.api, agent);
      const created = await orch.api<Json>("/api/tasks", {
        method: "POST",
        json: { description: "Research forever" },
      });
      const id = created.body.task_id;
      const deadline = Date.now() + 5000;
      while ((agent.calls.get("Research forever") ?? 0) === 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 10));
      }
      const cancelled = await orch.api<Json>(`/api/tasks/${id}/cancel`, { method: "POST" });
      assertEquals(cancelled.status, 200);
      assertEquals(cancelled.body.status, "cancelled");
      const task = await orch.waitForTask(id) as Json;
      assertEquals(task.status, "cancelled");
      const stepDeadline = Date.now() + 5000;
      let step = task.steps[0];
      while (step.status !== "cancelled" && Date.now() < stepDeadline) {
        await new Promise((r) => setTimeout(r, 20));
        step = (await orch.api<Json>(`/api/tasks/${id}`)).body.steps[0];
      }
      assertEquals(step.status, "cancelled");
      aborted = true;
      const idleDeadline = Date.now() + 5000;
      while (orch.orchestrator.executor.runningTaskIds.length && Date.now() < idleDeadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      assertEquals(orch.orchestrator.executor.runningTaskIds, [], "the worker let the task go");
    } finally {
      await orch.close();
      await agent.close();
    }
    assert(aborted);
  },
);
