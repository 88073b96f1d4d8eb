/**
 * Webhooks through the outbox, against real receivers: delivered with a signature a receiver
 * can check and the task as `GET /api/tasks/{id}` gives it; retried (same X-Webhook-Id)
 * through a receiver that fails at first; given up visibly; validated on submit; and, with
 * orchestrator processes, delivered to a receiver that was down across a restart, and once
 * each with three processes.
 */
import { assert, assertEquals } from "@app/lib/assert";
import { listEvents, listWebhookDeliveries } from "@app/db";
import { dbTest } from "@app/db/testing";
import { verifyWebhookSignature } from "../orchestrator/webhooks/signature.ts";
import { startOrchestrator } from "./helpers/orchestrator.ts";
import { orchestratorEnv } from "./helpers/orchestrator_env.ts";
import { startScriptedAgent } from "./helpers/scripted_agent.ts";
import { freePort } from "./helpers/free_port.ts";
import { readSse } from "./helpers/sse.ts";
import { startWebhookReceiver, waitFor } from "./helpers/webhook_receiver.ts";
import { type ServiceProcess, startServiceProcess } from "../scripts/service_process.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

const SECRET = "s3cret";

async function withStack(
  url: string,
  env: Record<string, string>,
  fn: (stack: {
    base: string;
    api: Awaited<ReturnType<typeof startOrchestrator>>["api"];
    submit(body: Json): Promise<number>;
  }) => Promise<void>,
) {
  const agent = startScriptedAgent({ name: "Worker", capabilities: ["research"] });
  const orch = await startOrchestrator(url, { WEBHOOK_RETRY_BASE_MS: "20", ...env });
  try {
    await orch.api("/api/agents", {
      method: "POST",
      json: { name: "Worker", agent_type: "api", endpoint: agent.url, capabilities: ["research"] },
    });
    await fn({
      base: orch.url,
      api: orch.api,
      async submit(body) {
        const created = await orch.api<Json>("/api/tasks", { method: "POST", json: body });
        assertEquals(created.status, 201, JSON.stringify(created.body));
        return created.body.task_id;
      },
    });
  } finally {
    await orch.close();
    await agent.close();
  }
}

dbTest(
  "[webhooks] a task's end is delivered, signed, with the task as GET gives it",
  async ({ url, db }) => {
    const receiver = startWebhookReceiver();
    try {
      await withStack(url, { WEBHOOK_SECRET: SECRET }, async ({ api, submit }) => {
        const id = await submit({
          description: "Research webhooks",
          webhook: { url: receiver.url, events: ["step.completed", "task.completed"] },
        });
        await waitFor(() => receiver.accepted.length === 2, "two deliveries");
        const byEvent = new Map(receiver.accepted.map((h) => [h.body.event, h]));
        assertEquals([...byEvent.keys()].sort(), ["step.completed", "task.completed"]);
        const done = byEvent.get("task.completed")!;
        assertEquals(Object.keys(done.body).sort(), [
          "created_at",
          "event",
          "id",
          "task",
          "task_id",
        ]);
        assertEquals(done.body.task_id, id);
        assertEquals(done.id, done.body.id, "X-Webhook-Id is the delivery's id");
        assertEquals(done.event, "task.completed");
        assertEquals(done.body.task, (await api<Json>(`/api/tasks/${id}`)).body);
        const event = (await listEvents(db, id)).find((e) => e.type === "task.completed")!;
        assertEquals(done.body.created_at, event.created_at, "the event's time");

        // The signature is the raw body's HMAC under the secret, and nothing else's.
        assert(done.signature?.startsWith("sha256="), String(done.signature));
        assert(await verifyWebhookSignature(SECRET, done.raw, done.signature));
        assert(!(await verifyWebhookSignature("other", done.raw, done.signature)));
        assert(!(await verifyWebhookSignature(SECRET, done.raw + " ", done.signature)));

        await waitFor(
          async () => (await listWebhookDeliveries(db, id)).every((d) => d.status === "delivered"),
          "the outbox to record both delivered",
        );
      });
    } finally {
      await receiver.close();
    }
  },
);

dbTest(
  "[webhooks] a receiver failing at first gets the same delivery again until it takes it",
  async ({ url, db }) => {
    const flaky = startWebhookReceiver({ answer: (n) => (n === 1 ? 503 : n === 2 ? 429 : 200) });
    const broken = startWebhookReceiver({ answer: () => 500 });
    const refusing = startWebhookReceiver({ answer: () => 410 });
    try {
      await withStack(url, { WEBHOOK_MAX_ATTEMPTS: "3" }, async ({ base, submit }) => {
        const retried = await submit({
          description: "Research retries",
          webhook: { url: flaky.url },
        });
        const exhausted = await submit({
          description: "Research failure",
          webhook: { url: broken.url },
        });
        const refused = await submit({
          description: "Research refusal",
          webhook: { url: refusing.url },
        });
        await waitFor(() => flaky.accepted.length === 1, "the flaky receiver to take it");
        assertEquals(flaky.received.length, 3);
        assertEquals(
          new Set(flaky.received.map((h) => h.id)).size,
          1,
          "one X-Webhook-Id throughout",
        );
        assertEquals(flaky.received[0].signature, null, "unsigned without WEBHOOK_SECRET");
        await waitFor(
          async () => (await listWebhookDeliveries(db, retried))[0].status === "delivered",
          "the outbox to record it",
        );
        assertEquals((await listWebhookDeliveries(db, retried))[0].attempts, 3);

        // Given up after WEBHOOK_MAX_ATTEMPTS, or at once on an answer no retry will change:
        // each shows in its task's events.
        const gaveUp = async (taskId: number) =>
          (await listEvents(db, taskId)).find((e) => e.type === "webhook.failed");
        await waitFor(
          async () => !!(await gaveUp(exhausted)) && !!(await gaveUp(refused)),
          "give-ups",
        );
        assertEquals(broken.received.length, 3);
        const exhaustedEvent = (await gaveUp(exhausted))!;
        assertEquals(exhaustedEvent.data.attempts, 3);
        assertEquals(exhaustedEvent.data.event, "task.completed");
        assertEquals(exhaustedEvent.data.url, broken.url);
        assertEquals(exhaustedEvent.data.error, "the receiver answered HTTP 500");
        // Written after the task's end, it is replayed by the stream from the end's id on.
        const end = (await listEvents(db, exhausted)).find((e) => e.type === "task.completed")!;
        const replay = await readSse(`${base}/api/tasks/${exhausted}/events`, {
          headers: { "Last-Event-ID": String(end.id) },
        });
        assertEquals(replay.map((e) => e.event), ["webhook.failed", "task.completed"]);
        assertEquals(refusing.received.length, 1);
        assertEquals((await gaveUp(refused))!.data.attempts, 1);
        assertEquals((await listWebhookDeliveries(db, refused))[0].status, "failed");
      });
    } finally {
      await Promise.all([flaky.close(), broken.close(), refusing.close()]);
    }
  },
);

dbTest(
  "[webhooks] WEBHOOK_URL takes every task's end; bad webhooks are named on submit",
  async ({ url }) => {
    const receiver = startWebhookReceiver();
    try {
      await withStack(url, { WEBHOOK_URL: receiver.url }, async ({ api, submit }) => {
        const id = await submit({ description: "Research global hooks" });
        await waitFor(() => receiver.accepted.length === 1, "the global webhook");
        assertEquals([receiver.accepted[0].body.task_id, receiver.accepted[0].event], [
          id,
          "task.completed",
        ]);

        const bad = async (webhook: unknown) => {
          const answer = await api<Json>("/api/tasks", {
            method: "POST",
            json: { description: "x", webhook },
          });
          assertEquals(answer.status, 422, JSON.stringify(answer.body));
          return answer.body.error.details.map((d: Json) => d.field).join(",");
        };
        assertEquals(await bad({ url: "ftp://example.com/x" }), "webhook.url");
        assertEquals(await bad({ url: "not a url" }), "webhook.url");
        assertEquals(await bad({ url: "https://user:pw@example.com/" }), "webhook.url");
        assertEquals(
          await bad({ url: receiver.url, events: ["task.started"] }),
          "webhook.events.0",
        );
        assertEquals(await bad({ url: receiver.url, events: [] }), "webhook.events");
      });
    } finally {
      await receiver.close();
    }
  },
);

dbTest("[webhooks] a receiver that never answers holds up no task", async ({ url }) => {
  const hanging = startWebhookReceiver({ hang: true });
  try {
    await withStack(url, { WEBHOOK_URL: hanging.url }, async ({ api, submit }) => {
      const first = await submit({ description: "Research the first" });
      await waitFor(() => hanging.received.length === 1, "the first delivery to hang");
      // The receiver still holds the first delivery while later tasks run to their end.
      const later = await Promise.all(
        [1, 2, 3].map((n) => submit({ description: `Research ${n}` })),
      );
      for (const id of later) {
        await waitFor(
          async () => (await api<Json>(`/api/tasks/${id}`)).body.status === "completed",
          `task ${id}`,
        );
      }
      assert(later.every((id) => id !== first));
      assertEquals(hanging.accepted.length, 0, "the first delivery is still unanswered");
    });
  } finally {
    await hanging.close();
  }
});

async function post(base: string, path: string, body: unknown): Promise<Json> {
  const response = await fetch(base + path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return await response.json();
}

dbTest(
  "[webhooks] a receiver down across an orchestrator restart gets the delivery after",
  async ({ url, db }) => {
    const agent = startScriptedAgent({ name: "Worker", capabilities: ["research"] });
    const port = freePort();
    const env = orchestratorEnv(url, {
      WEBHOOK_URL: `http://127.0.0.1:${port}/hooks`,
      WEBHOOK_RETRY_BASE_MS: "200",
    });
    const processes: ServiceProcess[] = [];
    let receiver: ReturnType<typeof startWebhookReceiver> | undefined;
    try {
      processes.push(await startServiceProcess("orchestrator/main.ts", env));
      await post(processes[0].url, "/api/agents", {
        name: "Worker",
        agent_type: "api",
        endpoint: agent.url,
        capabilities: ["research"],
      });
      const { task_id } = await post(processes[0].url, "/api/tasks", { description: "Research" });
      // Tried against the closed port at least once, then the orchestrator dies.
      await waitFor(
        async () => !!(await listWebhookDeliveries(db, task_id))[0]?.last_error,
        "a first failed attempt",
      );
      await processes[0].kill("SIGKILL");
      const [pending] = await listWebhookDeliveries(db, task_id);
      assertEquals(pending.status, "pending");
      assert(pending.last_error?.startsWith("not delivered"), String(pending.last_error));

      receiver = startWebhookReceiver({ port });
      processes.push(await startServiceProcess("orchestrator/main.ts", env));
      await waitFor(() => receiver!.accepted.length === 1, "the delivery after the restart");
      assertEquals(receiver.accepted[0].id, pending.delivery_id);
      assertEquals(receiver.accepted[0].body.task.status, "completed");
      await waitFor(
        async () => (await listWebhookDeliveries(db, task_id))[0].status === "delivered",
        "the outbox to record it",
      );
      assertEquals(receiver.received.length, 1, "delivered once");
    } finally {
      for (const p of processes) await p.kill("SIGTERM");
      await receiver?.close();
      await agent.close();
    }
  },
);

dbTest("[webhooks] three orchestrator processes deliver each event once", async ({ url, db }) => {
  const TASKS = 30;
  const agent = startScriptedAgent({ name: "Worker", capabilities: ["research"] });
  const receiver = startWebhookReceiver();
  const env = orchestratorEnv(url, { RATE_LIMIT_PER_MINUTE: "0" });
  const processes: ServiceProcess[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      processes.push(await startServiceProcess("orchestrator/main.ts", env));
    }
    await post(processes[0].url, "/api/agents", {
      name: "Worker",
      agent_type: "api",
      endpoint: agent.url,
      capabilities: ["research"],
    });
    await Promise.all(
      Array.from({ length: TASKS }, (_, i) =>
        post(processes[i % 3].url, "/api/tasks", {
          description: `Research item ${i}`,
          webhook: { url: receiver.url, events: ["step.completed", "task.completed"] },
        })),
    );
    await waitFor(async () => {
      const rows = await listWebhookDeliveries(db);
      return rows.length === TASKS * 2 && rows.every((r) => r.status === "delivered");
    }, "every delivery done");
    assertEquals(receiver.received.length, TASKS * 2, "no delivery sent twice");
    assertEquals(new Set(receiver.received.map((h) => h.id)).size, TASKS * 2);
    const pairs = new Set(receiver.received.map((h) => `${h.body.task_id} ${h.body.event}`));
    assertEquals(pairs.size, TASKS * 2, "each task's two events, once each");
  } finally {
    for (const p of processes) await p.kill("SIGTERM");
    await receiver.close();
    await agent.close();
  }
});
