/**
 * Agents that ask (issue 15), against a real A2A agent on the official SDK that answers
 * input-required first and completes once answered, in both protocol versions, on SQLite and
 * Postgres: the step and the task wait with the question (no lease), the question and the
 * answer join the session, the answer goes to the same A2A task under a new idempotency key
 * (the agent would replay its question under a reused one), and a restart loses nothing.
 */
import { assert, assertEquals, assertNotEquals } from "@app/lib/assert";
import { dbTest } from "@app/db/testing";
import { claimTasks, getTask, listEvents, listMessages } from "@app/db";
import { startAskingAgent } from "./helpers/asking_agent.ts";
import { startOrchestrator } from "./helpers/orchestrator.ts";
import { orchestratorEnv } from "./helpers/orchestrator_env.ts";
import { startServiceProcess } from "../scripts/service_process.ts";
import { startScriptedAgent } from "./helpers/scripted_agent.ts";
import { startWebhookReceiver, waitFor } from "./helpers/webhook_receiver.ts";
import { createAgentClient, type StepRequest } from "../orchestrator/agent_client.ts";
import { AgentNeedsInput } from "../orchestrator/agent_errors.ts";
import { answerIdempotencyKey, stepIdempotencyKey } from "../orchestrator/executor/step_run.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

for (const legacyOnly of [false, true]) {
  const version = legacyOnly ? "v0.3" : "v1.0";
  dbTest(
    `[questions] an A2A agent's input-required (${version}) waits with its question; the answer goes to the same A2A task under a new key and the step completes`,
    async ({ db, url }) => {
      const agent = await startAskingAgent({ legacyOnly });
      const o = await startOrchestrator(url);
      try {
        const registered = await o.api<Json>("/api/agents", {
          method: "POST",
          json: { url: agent.url },
        });
        assertEquals(registered.status, 201, JSON.stringify(registered.body));
        const created = await o.api<Json>("/api/tasks", {
          method: "POST",
          json: { description: "Research it" },
        });
        const id = created.body.task_id;
        let task: Json = {};
        await waitFor(async () => {
          task = (await o.api<Json>(`/api/tasks/${id}`)).body;
          return task.status === "input_required";
        }, "the task to wait for input");
        assertEquals(task.steps[0].status, "input_required");
        assertEquals(task.steps[0].question, "What should I research?");
        // Waiting holds no lease and no slot: nobody can claim it.
        assertEquals((await getTask(db, id))?.lease_owner, null);
        assertEquals(await claimTasks(db, "probe", 30_000, 10, { expired: true }), []);
        assertEquals(o.orchestrator.executor.runningTaskIds, []);
        const asked = (await listMessages(db, task.session_id)).at(-1)!;
        assertEquals([asked.role, asked.content], ["agent", "What should I research?"]);

        // 409: nothing to approve, and step 2 does not exist to wait.
        assertEquals((await o.api(`/api/tasks/${id}/approve`, { method: "POST" })).status, 409);
        const wrongStep = await o.api(`/api/tasks/${id}/input`, {
          method: "POST",
          json: { text: "x", step_number: 2 },
        });
        assertEquals(wrongStep.status, 409);
        assertEquals(
          (await o.api(`/api/tasks/${id}/input`, { method: "POST", json: { text: "" } })).status,
          422,
        );

        const answered = await o.api<Json>(`/api/tasks/${id}/input`, {
          method: "POST",
          json: { text: "Solar power in Spain" },
        });
        assertEquals(answered.status, 200, JSON.stringify(answered.body));
        const done = await o.waitForTask(id) as Json;
        assertEquals(done.status, "completed", JSON.stringify(done));
        assertEquals(done.steps[0].output_data.summary, "Researched Solar power in Spain");

        // The same A2A task and context, a new key, nothing replayed.
        assertEquals(agent.received.length, 2, JSON.stringify(agent.received));
        const [first, second] = agent.received;
        assertEquals(second.taskId, first.taskId);
        assertEquals(second.contextId, first.contextId);
        assertEquals(second.text, "Solar power in Spain");
        assert(first.key && second.key);
        assertNotEquals(second.key, first.key);
        assertEquals(agent.received.map((r) => r.replayed), [false, false]);
        assertEquals(new Set(agent.versions), new Set([legacyOnly ? "0.3" : "1.0"]));

        const messages = (await listMessages(db, task.session_id)).map((m) => [m.role, m.content]);
        assertEquals(messages.slice(0, 3), [
          ["user", "Research it"],
          ["agent", "What should I research?"],
          ["user", "Solar power in Spain"],
        ]);
        const types = (await listEvents(db, id)).map((e) => e.type);
        for (const type of ["step.input_required", "task.input_required", "step.input_received"]) {
          assert(types.includes(type as never), `${type} in ${types.join(", ")}`);
        }
        // Nothing waits now.
        const late = await o.api(`/api/tasks/${id}/input`, { method: "POST", json: { text: "y" } });
        assertEquals(late.status, 409);
      } finally {
        await o.close();
        await agent.close();
      }
    },
  );
}

dbTest(
  "[questions] an agent that asks twice gets each answer under its own key; auth-required asks too",
  async ({ db, url }) => {
    const twice = await startAskingAgent({ questions: ["What topic?", "Which year?"] });
    const auth = await startAskingAgent({ kind: "auth", questions: ["Sign in at example.com"] });
    const o = await startOrchestrator(url);
    try {
      for (const agent of [twice, auth]) {
        // One agent at a time has the capability: registered, used, removed.
        const registered = await o.api<Json>("/api/agents", {
          method: "POST",
          json: { url: agent.url, name: agent === twice ? "Twice" : "Auth" },
        });
        assertEquals(registered.status, 201, JSON.stringify(registered.body));
        const id = (await o.api<Json>("/api/tasks", {
          method: "POST",
          json: { description: "Research it" },
        })).body.task_id;
        const questions = agent === twice
          ? ["What topic?", "Which year?"]
          : ["Sign in at example.com"];
        const answers = agent === twice ? ["Tides", "2026"] : ["done, signed in"];
        for (const [i, question] of questions.entries()) {
          let task: Json = {};
          await waitFor(async () => {
            task = (await o.api<Json>(`/api/tasks/${id}`)).body;
            return task.status === "input_required" && task.steps[0].question === question;
          }, `question ${i + 1}`);
          const answered = await o.api(`/api/tasks/${id}/input`, {
            method: "POST",
            json: { text: answers[i], step_number: 1 },
          });
          assertEquals(answered.status, 200);
        }
        const done = await o.waitForTask(id) as Json;
        assertEquals(done.status, "completed", JSON.stringify(done));
        assertEquals(done.steps[0].output_data.summary, `Researched ${answers.join(" / ")}`);
        const keys = agent.received.map((r) => r.key);
        assertEquals(new Set(keys).size, keys.length, `distinct keys: ${keys.join(", ")}`);
        assertEquals(new Set(agent.received.map((r) => r.taskId)).size, 1, "one A2A task");
        assertEquals(agent.received.some((r) => r.replayed), false);
        const asked = (await listEvents(db, id)).filter((e) => e.type === "step.input_required");
        assertEquals(
          asked.map((e) => (e.data as Json).kind),
          questions.map(() => agent === twice ? "input" : "auth"),
        );
        await o.api(`/api/agents/${registered.body.id}`, { method: "DELETE" });
      }
    } finally {
      await o.close();
      await twice.close();
      await auth.close();
    }
  },
);

dbTest(
  "[questions] a task waiting for an answer survives its orchestrator's SIGKILL; another process sends the answer on",
  async ({ db, url }) => {
    const agent = await startAskingAgent();
    const env = orchestratorEnv(url, { LEASE_MS: "60000" });
    const first = await startServiceProcess("orchestrator/main.ts", env);
    let second: Awaited<ReturnType<typeof startServiceProcess>> | undefined;
    const post = (base: string, path: string, body: unknown) =>
      fetch(base + path, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, body: await r.json() as Json }));
    const get = (base: string, id: number) =>
      fetch(`${base}/api/tasks/${id}`).then((r) => r.json() as Promise<Json>);
    try {
      assertEquals((await post(first.url, "/api/agents", { url: agent.url })).status, 201);
      const id = (await post(first.url, "/api/tasks", { description: "Research it" })).body.task_id;
      await waitFor(async () => (await get(first.url, id)).status === "input_required", "asked");
      await first.kill("SIGKILL");
      // The lease was handed back when it began waiting (LEASE_MS is far longer than this test).
      assertEquals((await getTask(db, id))?.lease_owner, null);
      second = await startServiceProcess("orchestrator/main.ts", env);
      const waiting = await get(second.url, id);
      assertEquals(waiting.steps[0].question, "What should I research?");
      const answered = await post(second.url, `/api/tasks/${id}/input`, { text: "Wind farms" });
      assertEquals(answered.status, 200, JSON.stringify(answered.body));
      let task: Json = {};
      await waitFor(async () => {
        task = await get(second!.url, id);
        return task.status === "completed";
      }, "the task to complete on the second process");
      assertEquals(task.steps[0].output_data.summary, "Researched Wind farms");
      assertEquals(agent.received.length, 2);
      assertEquals(agent.received[1].taskId, agent.received[0].taskId);
    } finally {
      await first.kill("SIGKILL");
      await second?.kill("SIGTERM");
      await agent.close();
    }
  },
);

Deno.test("[questions] an answer sent under the step's own key gets the question again (why each answer has its own)", async () => {
  const agent = await startAskingAgent();
  try {
    const client = createAgentClient();
    const called = {
      id: 1,
      name: "Asking",
      agent_type: "a2a_server" as const,
      endpoint: agent.url,
    };
    const task = { id: 7, description: "Research it", session_id: "sess_keys" };
    const request: StepRequest = {
      task,
      step: { step_number: 1, description: "Research it", capability: "research" },
      dependencies: {},
      history: [],
      idempotency_key: stepIdempotencyKey(task, 1),
    };
    const ask = async (r: StepRequest) => {
      try {
        return await client.call(called, r, AbortSignal.timeout(10_000));
      } catch (error) {
        if (error instanceof AgentNeedsInput) return error.asked;
        throw error;
      }
    };
    const asked = await ask(request) as { a2a_task_id: string; a2a_context_id: string };
    assertEquals((asked as Json).question, "What should I research?");
    const answer = { text: "Tides", ...asked };
    // The agent honours keys: under the step's key the answer is taken for a retry.
    const reused = await ask({ ...request, answer });
    assertEquals((reused as Json).question, "What should I research?");
    assertEquals(agent.received.at(-1)?.replayed, true);
    const output = await ask({
      ...request,
      answer,
      idempotency_key: answerIdempotencyKey(task, 1, 1),
    }) as Json;
    assertEquals(output.summary, "Researched Tides");
    assertEquals(agent.received.at(-1)?.replayed, false);
    assertEquals(new Set(agent.received.map((r) => r.taskId)).size, 1);
  } finally {
    await agent.close();
  }
});

dbTest(
  "[questions] a step asks while another runs: the task waits once that one is done, then finishes with the answer",
  async ({ db, url }) => {
    const asking = await startAskingAgent();
    const slow = startScriptedAgent({
      name: "Slow",
      capabilities: ["summarization"],
      delayMs: 300,
    });
    const o = await startOrchestrator(url);
    try {
      const a = await o.api<Json>("/api/agents", { method: "POST", json: { url: asking.url } });
      await o.api<Json>("/api/agents", {
        method: "POST",
        json: {
          name: "Slow",
          agent_type: "api",
          endpoint: slow.url,
          capabilities: ["summarization"],
        },
      });
      const id = (await o.api<Json>("/api/tasks", {
        method: "POST",
        json: { description: "Research it", require_approval: true },
      })).body.task_id;
      // Two independent steps, by an edited plan.
      const approved = await o.api<Json>(`/api/tasks/${id}/approve`, {
        method: "POST",
        json: {
          plan: {
            steps: [
              { description: "Research it", agent_id: a.body.id },
              { description: "Summarize tea", capability: "summarization" },
            ],
          },
        },
      });
      assertEquals(approved.status, 200, JSON.stringify(approved.body));
      let task: Json = {};
      await waitFor(async () => {
        task = (await o.api<Json>(`/api/tasks/${id}`)).body;
        return task.status === "input_required";
      }, "the task to wait");
      assertEquals(task.steps.map((s: Json) => s.status), ["input_required", "completed"]);
      assertEquals((await getTask(db, id))?.lease_owner, null);
      assertEquals(
        (await o.api(`/api/tasks/${id}/input`, { method: "POST", json: { text: "Oolong" } }))
          .status,
        200,
      );
      const done = await o.waitForTask(id) as Json;
      assertEquals(done.status, "completed", JSON.stringify(done));
      assertEquals(done.steps[0].output_data.summary, "Researched Oolong");
      assertEquals(slow.calls.get("Summarize tea"), 1, "the finished step did not run again");
    } finally {
      await o.close();
      await asking.close();
      await slow.close();
    }
  },
);

dbTest(
  "[questions] the question reaches a webhook that asked for step.input_required; a waiting task can be cancelled",
  async ({ db, url }) => {
    const agent = await startAskingAgent();
    const receiver = startWebhookReceiver();
    const o = await startOrchestrator(url);
    try {
      await o.api("/api/agents", { method: "POST", json: { url: agent.url } });
      const id = (await o.api<Json>("/api/tasks", {
        method: "POST",
        json: {
          description: "Research it",
          webhook: { url: receiver.url, events: ["step.input_required", "task.cancelled"] },
        },
      })).body.task_id;
      await waitFor(() => receiver.accepted.length === 1, "the question's webhook");
      const [hook] = receiver.accepted;
      assertEquals(hook.event, "step.input_required");
      assertEquals(hook.body.task.steps[0].question, "What should I research?");
      const cancelled = await o.api<Json>(`/api/tasks/${id}/cancel`, { method: "POST" });
      assertEquals(cancelled.body.status, "cancelled");
      assertEquals(cancelled.body.steps[0].status, "cancelled");
      await waitFor(() => receiver.accepted.length === 2, "the cancel's webhook");
      const late = await o.api(`/api/tasks/${id}/input`, { method: "POST", json: { text: "x" } });
      assertEquals(late.status, 409);
      assertEquals((await getTask(db, id))?.status, "cancelled");
    } finally {
      await o.close();
      await receiver.close();
      await agent.close();
    }
  },
);

dbTest(
  "[questions] two answers at once: one is taken, the other gets 409; the agent hears one",
  async ({ url }) => {
    const agent = await startAskingAgent();
    // Two processes on one database, each taking one of the answers.
    const first = await startOrchestrator(url);
    const second = await startOrchestrator(url);
    try {
      await first.api("/api/agents", { method: "POST", json: { url: agent.url } });
      const id = (await first.api<Json>("/api/tasks", {
        method: "POST",
        json: { description: "Research it" },
      })).body.task_id;
      await waitFor(
        async () => (await first.api<Json>(`/api/tasks/${id}`)).body.status === "input_required",
        "the question",
      );
      const answers = await Promise.all(
        [first, second].map((o, i) =>
          o.api(`/api/tasks/${id}/input`, { method: "POST", json: { text: `answer ${i}` } })
        ),
      );
      assertEquals(answers.map((a) => a.status).sort(), [200, 409]);
      const done = await first.waitForTask(id) as Json;
      assertEquals(done.status, "completed");
      assertEquals(agent.received.length, 2, "the question and one answer");
      const taken = answers.findIndex((a) => a.status === 200);
      assertEquals(agent.received[1].text, `answer ${taken}`);
    } finally {
      await first.close();
      await second.close();
      await agent.close();
    }
  },
);
