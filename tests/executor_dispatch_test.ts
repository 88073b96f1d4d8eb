/**
 * The executor's dispatch loop: a task whose owner died is taken over within about its idle
 * poll, however busy the executor is with other work (finishing tasks wake the loop often).
 */
import { assert, assertEquals, assertStringIncludes } from "@app/lib/assert";
import { dbTest } from "@app/db/testing";
import { type Agent, getTask, insertTask, WriteBatcher } from "@app/db";
import { silentLogger } from "@app/lib";
import { Executor } from "@app/orchestrator";
import type { AgentClient } from "../orchestrator/agent_client.ts";
import { Metrics } from "../orchestrator/metrics.ts";
import { createNotifier } from "../orchestrator/notifier.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

dbTest("[executor] an expired lease is taken over while other tasks keep finishing", async (t) => {
  const notifier = await createNotifier(t.db, silentLogger);
  const writes = new WriteBatcher(t.db);
  const agent = { id: 1, name: "a", capabilities: ["research"], status: "active" } as Agent;
  const agentClient = {
    call: async () => {
      await sleep(40);
      return { summary: "done" };
    },
  } as unknown as AgentClient;
  const metrics = new Metrics();
  const executor = new Executor({
    db: t.db,
    notifier,
    logger: silentLogger,
    metrics,
    writes,
    agents: () => Promise.resolve([agent]),
    agentClient,
    concurrency: 4,
    idlePollMs: 200,
    leaseMs: 3_000,
  });
  executor.start();
  let stop = false;
  try {
    // A task is submitted every 30 ms and runs here, so the loop is woken often.
    const load = (async () => {
      for (let i = 0; !stop; i++) {
        const steps = [{ step_number: 1, description: "load", capability: "research" }];
        await executor.admit(
          steps.map((s) => ({ ...s, dependencies: [] })),
          (start) =>
            executor.lifecycle.submit({
              session_id: `sess_load_${i}`,
              user_id: "u",
              description: "load",
              plan: {},
              metadata: {},
              steps,
              lease: start?.lease,
            }),
        );
        await sleep(30);
      }
    })();
    await sleep(500); // past the executor's first look for work
    // A crashed peer's task: leased, and the lease already expired.
    const { task: orphan } = await t.db.transaction().execute((trx) =>
      insertTask(trx, {
        session_id: "sess_orphan",
        user_id: "u",
        description: "orphan",
        steps: [{ step_number: 1, description: "orphan", capability: "research" }],
      }, { lease: { owner: "dead", leaseMs: -1_000 }, ensureSession: true })
    );
    let current = await getTask(t.db, orphan.id);
    for (let i = 0; i < 50 && current?.status !== "completed"; i++) {
      await sleep(50);
      current = await getTask(t.db, orphan.id);
    }
    stop = true;
    await load;
    assertEquals(current?.status, "completed", "taken over and finished within 2.5 s");
    assert(current!.attempts >= 2, "a takeover counts as another attempt");
    // And in /metrics: the one task taken over from a dead owner.
    const text = await metrics.render({ tasksByStatus: {}, agentsByStatus: {}, queueDepth: 0 });
    assertStringIncludes(text, "orchestrator_lease_takeovers_total 1\n");
  } finally {
    stop = true;
    await executor.stop();
    await notifier.close();
  }
});
