import { assert, assertEquals, assertRejects } from "@app/lib/assert";
import { taskEvent } from "@app/lib/task_events";
import { dbTest } from "../testing.ts";
import { WriteBatcher } from "../write_batcher.ts";
import { createSession } from "./sessions.ts";
import { createTask } from "./tasks.ts";
import {
  claimWebhookDeliveries,
  insertTaskWebhooks,
  listWebhookDeliveries,
  markWebhookDelivered,
} from "./webhooks.ts";

async function taskWithWebhook(db: Parameters<typeof createSession>[0], events: string[]) {
  const session = await createSession(db, { user_id: "u" });
  const { task } = await createTask(db, {
    session_id: session.session_id,
    user_id: "u",
    description: "d",
  });
  await insertTaskWebhooks(db, task.id, [{ url: "http://hooks.test/a", events }]);
  return task.id;
}

dbTest("[webhooks] a delivery is written with its event, or not at all", async ({ db }) => {
  const taskId = await taskWithWebhook(db, ["task.completed"]);
  const batcher = new WriteBatcher(db);
  let woken = 0;
  batcher.onDeliveries = () => woken++;
  // An event nobody asked for makes no delivery.
  await batcher.run((_trx, appends) =>
    Promise.resolve(appends.event(taskId, taskEvent("step.skipped", { step_number: 1 })))
  );
  assertEquals(await listWebhookDeliveries(db, taskId), []);
  assertEquals(woken, 0);
  // A write that fails after appending its event leaves neither the event nor a delivery.
  await assertRejects(() =>
    batcher.run((_trx, appends) => {
      appends.event(taskId, taskEvent("task.completed", { status: "completed", result: {} }));
      return Promise.reject(new Error("the state change failed"));
    })
  );
  assertEquals(await listWebhookDeliveries(db, taskId), []);
  await batcher.run((_trx, appends) =>
    Promise.resolve(
      appends.event(taskId, taskEvent("task.completed", { status: "completed", result: {} })),
    )
  );
  const [delivery] = await listWebhookDeliveries(db, taskId);
  assertEquals([delivery.event, delivery.url, delivery.status], [
    "task.completed",
    "http://hooks.test/a",
    "pending",
  ]);
  assert(/^whd_[0-9a-f]{32}$/.test(delivery.delivery_id), delivery.delivery_id);
  assertEquals(woken, 1, "the dispatcher is woken after the commit");
});

dbTest("[webhooks] one claimer takes a delivery; a lapsed lease frees it", async (t) => {
  const taskId = await taskWithWebhook(t.db, ["step.completed"]);
  const batcher = new WriteBatcher(t.db);
  await batcher.run((_trx, appends) => {
    for (const n of [1, 2, 3]) {
      appends.event(
        taskId,
        taskEvent("step.completed", { step_number: n, agent_id: 1, agent_name: "A", output: {} }),
      );
    }
    return Promise.resolve();
  });
  const other = t.reconnect();
  const [a, b] = await Promise.all([
    claimWebhookDeliveries(t.db, "a", 60_000, 2),
    claimWebhookDeliveries(other, "b", 60_000, 2),
  ]);
  assertEquals(a.length + b.length, 3, "every delivery claimed once");
  assertEquals(new Set([...a, ...b].map((d) => d.id)).size, 3);
  assertEquals(await claimWebhookDeliveries(t.db, "c", 60_000, 5), []);

  const [first] = [...a, ...b];
  assertEquals(await markWebhookDelivered(t.db, first.id, "not the owner"), false);
  assertEquals(await markWebhookDelivered(t.db, first.id, first.lease_owner!), true);

  // A claimer that died: its lease runs out and the delivery is due again, attempt counted.
  await t.db.updateTable("webhook_deliveries").set({ lease_until: "2000-01-01T00:00:00.000Z" })
    .where("status", "=", "pending").execute();
  const again = await claimWebhookDeliveries(t.db, "c", 60_000, 5);
  assertEquals(again.length, 2);
  assertEquals(again.map((d) => d.attempts), [2, 2]);
});
