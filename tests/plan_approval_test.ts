/**
 * Plan approval (issue 15) against real servers on SQLite and Postgres: a task submitted with
 * `require_approval` waits with its plan, unclaimable and calling no agent, until a person
 * approves it (as proposed or edited, the edit checked like an LLM's plan) or rejects it; an
 * approval nobody gives expires; any process may approve, a restarted one too.
 */
import { assert, assertEquals, assertStringIncludes } from "@app/lib/assert";
import { dbTest } from "@app/db/testing";
import { claimTasks, getTask, listEvents } from "@app/db";
import { startScriptedAgent } from "./helpers/scripted_agent.ts";
import { startOrchestrator } from "./helpers/orchestrator.ts";
import { orchestratorEnv } from "./helpers/orchestrator_env.ts";
import { startServiceProcess } from "../scripts/service_process.ts";
import { startWebhookReceiver, waitFor } from "./helpers/webhook_receiver.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

const REQUEST = "Research solar power. Then summarize it.";

async function registerWorker(
  api: Awaited<ReturnType<typeof startOrchestrator>>["api"],
  url: string,
  name = "Worker",
) {
  const res = await api<Json>("/api/agents", {
    method: "POST",
    json: { name, agent_type: "api", endpoint: url, capabilities: ["research", "summarization"] },
  });
  assertEquals(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

dbTest(
  "[approval] a plan waits unclaimed for approval; an edited plan is checked (422 naming the field), then run as edited",
  async ({ db, url }) => {
    const agent = startScriptedAgent({
      name: "Worker",
      capabilities: ["research", "summarization"],
    });
    const o = await startOrchestrator(url);
    try {
      const worker = await registerWorker(o.api, agent.url);
      const created = await o.api<Json>("/api/tasks", {
        method: "POST",
        json: { description: REQUEST, require_approval: true },
      });
      assertEquals(created.status, 201, JSON.stringify(created.body));
      assertEquals(created.body.status, "awaiting_approval");
      const id = created.body.task_id;
      const proposed = (await o.api<Json>(`/api/tasks/${id}`)).body;
      assertEquals(proposed.status, "awaiting_approval");
      assertEquals(proposed.plan.steps.length, 2, "its plan is visible");
      // Not claimable by any worker, and holding no lease.
      assertEquals(await claimTasks(db, "probe", 30_000, 10, { expired: true }), []);
      assertEquals((await getTask(db, id))?.lease_owner, null);
      assertEquals(agent.calls.size, 0, "no agent is called before approval");

      const approve = (plan: unknown) =>
        o.api<Json>(`/api/tasks/${id}/approve`, { method: "POST", json: { plan } });
      const field = (res: { body: Json }) => res.body.error?.details?.[0]?.field;
      let bad = await approve({ steps: [{ description: "Research", agent_id: 999 }] });
      assertEquals(bad.status, 422);
      assertEquals(field(bad), "plan.steps[0].agent_id");
      bad = await approve({ steps: [{ description: "Dance", capability: "dancing" }] });
      assertEquals(bad.status, 422);
      assertEquals(field(bad), "plan.steps[0].capability");
      bad = await approve({
        steps: [
          { step_number: 1, description: "A", capability: "research", dependencies: [2] },
          { step_number: 2, description: "B", capability: "research", dependencies: [1] },
        ],
      });
      assertEquals(bad.status, 422);
      assertEquals(field(bad), "plan.steps");
      assertStringIncludes(bad.body.error.details[0].message, "loop");
      bad = await approve({
        steps: [{ description: "A", capability: "research", dependencies: [7] }],
      });
      assertEquals(field(bad), "plan.steps[0].dependencies");
      bad = await approve({ steps: [] });
      assertEquals(bad.status, 422);
      assertEquals((await getTask(db, id))?.status, "awaiting_approval", "still waiting");

      // Reordered, one step re-described, the other removed, then one added after it.
      const approved = await approve({
        steps: [
          {
            step_number: 2,
            description: "Summarize wind power",
            capability: "summarization",
            agent_id: worker.id,
            dependencies: [1],
          },
          { step_number: 1, description: "Research wind power", capability: "research" },
        ],
      });
      assertEquals(approved.status, 200, JSON.stringify(approved.body));
      assertEquals(
        approved.body.plan.steps.map((s: Json) => [s.step_number, s.description, s.dependencies]),
        [[1, "Summarize wind power", [2]], [2, "Research wind power", []]],
      );
      const done = await o.waitForTask(id) as Json;
      assertEquals(done.status, "completed", JSON.stringify(done));
      assertEquals([...agent.calls.keys()].sort(), ["Research wind power", "Summarize wind power"]);
      assertEquals(
        agent.calls.get("Research solar power"),
        undefined,
        "the proposed step never ran",
      );
      const types = (await listEvents(db, id)).map((e) => e.type);
      assertEquals(types.slice(0, 3), ["task.created", "plan.proposed", "plan.approved"]);
      const approvedEvent = (await listEvents(db, id)).find((e) => e.type === "plan.approved")!;
      assertEquals((approvedEvent.data as Json).edited, true);

      // Nothing waits any more: 409 both ways.
      assertEquals((await approve(undefined)).status, 409);
      const reject = await o.api<Json>(`/api/tasks/${id}/reject`, {
        method: "POST",
        json: { reason: "late" },
      });
      assertEquals(reject.status, 409);
      assertEquals((await o.api(`/api/tasks/999/approve`, { method: "POST" })).status, 404);
    } finally {
      await o.close();
      await agent.close();
    }
  },
);

dbTest(
  "[approval] approved as proposed with no body; rejected ends cancelled with the reason",
  async ({ db, url }) => {
    const agent = startScriptedAgent({
      name: "Worker",
      capabilities: ["research", "summarization"],
    });
    const o = await startOrchestrator(url, { REQUIRE_PLAN_APPROVAL: "true" });
    try {
      await registerWorker(o.api, agent.url);
      // REQUIRE_PLAN_APPROVAL makes it the default; `false` opts out.
      const a = await o.api<Json>("/api/tasks", { method: "POST", json: { description: REQUEST } });
      const b = await o.api<Json>("/api/tasks", { method: "POST", json: { description: REQUEST } });
      const c = await o.api<Json>("/api/tasks", {
        method: "POST",
        json: { description: "Research tides", require_approval: false },
      });
      assertEquals([a.body.status, b.body.status], ["awaiting_approval", "awaiting_approval"]);
      assertEquals((await o.waitForTask(c.body.task_id) as Json).status, "completed");

      const approved = await o.api<Json>(`/api/tasks/${a.body.task_id}/approve`, {
        method: "POST",
      });
      assertEquals(approved.status, 200, JSON.stringify(approved.body));
      assertEquals((await o.waitForTask(a.body.task_id) as Json).status, "completed");
      const approvedEvent = (await listEvents(db, a.body.task_id))
        .find((e) => e.type === "plan.approved")!;
      assertEquals((approvedEvent.data as Json).edited, false);

      const rejected = await o.api<Json>(`/api/tasks/${b.body.task_id}/reject`, {
        method: "POST",
        json: { reason: "not this week" },
      });
      assertEquals(rejected.status, 200, JSON.stringify(rejected.body));
      assertEquals(rejected.body.status, "cancelled");
      assertEquals(rejected.body.error, "not this week");
      assertEquals(rejected.body.steps.map((s: Json) => s.status), ["cancelled", "cancelled"]);
      const events = (await listEvents(db, b.body.task_id)).map((e) => [e.type, e.data]);
      assertEquals(events.at(-1)?.[0], "task.cancelled");
      assertEquals((events.at(-1)?.[1] as Json).reason, "not this week");
      assert(events.some(([type]) => type === "plan.rejected"));
      assertEquals(agent.calls.get("Research solar power"), 1, "only the approved task ran it");
      const bad = await o.api<Json>(`/api/tasks/${b.body.task_id}/reject`, {
        method: "POST",
        json: { reason: 5 },
      });
      assertEquals(bad.status, 422);
    } finally {
      await o.close();
      await agent.close();
    }
  },
);

dbTest(
  "[approval] APPROVAL_TIMEOUT_MS: an unapproved plan expires cancelled with that reason, once however many processes sweep",
  async ({ db, url }) => {
    // Two orchestrators that do not sweep by themselves: the test sweeps, both at once.
    const first = await startOrchestrator(url, { APPROVAL_TIMEOUT_MS: "1" }, { execute: false });
    const second = await startOrchestrator(url, { APPROVAL_TIMEOUT_MS: "1" }, { execute: false });
    try {
      const ids: number[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await first.api<Json>("/api/tasks", {
          method: "POST",
          json: { description: `Research topic ${i}`, require_approval: true },
        });
        ids.push(res.body.task_id);
      }
      await new Promise((r) => setTimeout(r, 5)); // past the 1 ms timeout
      await Promise.all([
        first.orchestrator.waitSweeper.sweep(),
        second.orchestrator.waitSweeper.sweep(),
        first.orchestrator.waitSweeper.sweep(),
      ]);
      for (const id of ids) {
        const task = (await first.api<Json>(`/api/tasks/${id}`)).body;
        assertEquals(task.status, "cancelled");
        assertStringIncludes(task.error, "APPROVAL_TIMEOUT_MS");
        const cancels = (await listEvents(db, id)).filter((e) => e.type === "task.cancelled");
        assertEquals(cancels.length, 1, "cancelled once");
        assertStringIncludes(String((cancels[0].data as Json).reason), "APPROVAL_TIMEOUT_MS");
      }
      // A process that runs its executor sweeps by itself.
      const sweeping = await startOrchestrator(url, { APPROVAL_TIMEOUT_MS: "1" });
      try {
        const res = await sweeping.api<Json>("/api/tasks", {
          method: "POST",
          json: { description: "Research the tides", require_approval: true },
        });
        const task = await sweeping.waitForTask(res.body.task_id) as Json;
        assertEquals(task.status, "cancelled");
        assertStringIncludes(task.error, "APPROVAL_TIMEOUT_MS");
      } finally {
        await sweeping.close();
      }
    } finally {
      await first.close();
      await second.close();
    }
  },
);

dbTest(
  "[approval] approvable through any process, and after the process that planned it is killed",
  async ({ url }) => {
    const agent = startScriptedAgent({
      name: "Worker",
      capabilities: ["research", "summarization"],
    });
    const env = orchestratorEnv(url, { LEASE_MS: "60000" });
    const first = await startServiceProcess("orchestrator/main.ts", env);
    let second: Awaited<ReturnType<typeof startServiceProcess>> | undefined;
    let third: Awaited<ReturnType<typeof startServiceProcess>> | undefined;
    const post = (base: string, path: string, body?: unknown) =>
      fetch(base + path, {
        method: "POST",
        // No body (approval as proposed): no JSON content type either.
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, body: await r.json() as Json }));
    const get = (base: string, id: number) =>
      fetch(`${base}/api/tasks/${id}`).then((r) => r.json() as Promise<Json>);
    try {
      second = await startServiceProcess("orchestrator/main.ts", env);
      await post(first.url, "/api/agents", {
        name: "Worker",
        agent_type: "api",
        endpoint: agent.url,
        capabilities: ["research", "summarization"],
      });
      const a = await post(first.url, "/api/tasks", {
        description: REQUEST,
        require_approval: true,
      });
      const b = await post(first.url, "/api/tasks", {
        description: "Research tides. Then summarize it.",
        require_approval: true,
      });
      // Approved on the other process.
      assertEquals((await post(second.url, `/api/tasks/${a.body.task_id}/approve`)).status, 200);
      await waitFor(
        async () => (await get(second!.url, a.body.task_id)).status === "completed",
        "a",
      );
      // The planning process dies; a new one starts; the waiting task is still there to approve.
      await first.kill("SIGKILL");
      await second.kill("SIGTERM");
      second = undefined;
      third = await startServiceProcess("orchestrator/main.ts", env);
      assertEquals((await get(third.url, b.body.task_id)).status, "awaiting_approval");
      assertEquals(agent.calls.get("Research tides"), undefined);
      const approved = await post(third.url, `/api/tasks/${b.body.task_id}/approve`);
      assertEquals(approved.status, 200, JSON.stringify(approved.body));
      await waitFor(
        async () => (await get(third!.url, b.body.task_id)).status === "completed",
        "b",
      );
      assertEquals(agent.calls.get("Research tides"), 1);
    } finally {
      await first.kill("SIGKILL");
      await second?.kill("SIGTERM");
      await third?.kill("SIGTERM");
      await agent.close();
    }
  },
);

dbTest(
  "[approval] a plan awaiting approval reaches a webhook that asked for plan.proposed; a waiting task can be cancelled",
  async ({ url }) => {
    const receiver = startWebhookReceiver();
    const o = await startOrchestrator(url);
    try {
      const id = (await o.api<Json>("/api/tasks", {
        method: "POST",
        json: {
          description: REQUEST,
          require_approval: true,
          webhook: { url: receiver.url, events: ["plan.proposed"] },
        },
      })).body.task_id;
      await waitFor(() => receiver.accepted.length === 1, "the plan's webhook");
      assertEquals(receiver.accepted[0].event, "plan.proposed");
      assertEquals(receiver.accepted[0].body.task.status, "awaiting_approval");
      const cancelled = await o.api<Json>(`/api/tasks/${id}/cancel`, { method: "POST" });
      assertEquals(cancelled.body.status, "cancelled");
      assertEquals((await o.api(`/api/tasks/${id}/approve`, { method: "POST" })).status, 409);
    } finally {
      await o.close();
      await receiver.close();
    }
  },
);

dbTest(
  "[approval] approve and reject at once on two processes: one wins, the other gets 409",
  async ({ url }) => {
    const agent = startScriptedAgent({
      name: "Worker",
      capabilities: ["research", "summarization"],
    });
    const first = await startOrchestrator(url);
    const second = await startOrchestrator(url);
    try {
      await registerWorker(first.api, agent.url);
      const id = (await first.api<Json>("/api/tasks", {
        method: "POST",
        json: { description: REQUEST, require_approval: true },
      })).body.task_id;
      const [approved, rejected] = await Promise.all([
        first.api(`/api/tasks/${id}/approve`, { method: "POST" }),
        second.api(`/api/tasks/${id}/reject`, { method: "POST", json: { reason: "no" } }),
      ]);
      assertEquals([approved.status, rejected.status].sort(), [200, 409]);
      const task = await first.waitForTask(id) as Json;
      assertEquals(task.status, approved.status === 200 ? "completed" : "cancelled");
    } finally {
      await first.close();
      await second.close();
      await agent.close();
    }
  },
);
