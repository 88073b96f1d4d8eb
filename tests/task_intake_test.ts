/**
 * A task accepted by a process with a free slot is stored already leased to it and run there;
 * one stored while that process stops is handed back at once, like the tasks it was running.
 */
import { assertEquals } from "@app/lib/assert";
import { dbTest } from "@app/db/testing";
import { getTask, insertTask, listEvents } from "@app/db";
import { startScriptedAgent } from "./helpers/scripted_agent.ts";
import { startOrchestrator } from "./helpers/orchestrator.ts";

type Json = Record<string, unknown>;

dbTest("[intake] a task accepted with a free slot starts at once, no claim", async ({ url }) => {
  const agent = startScriptedAgent({ name: "Instant", capabilities: ["research"] });
  const orch = await startOrchestrator(url);
  try {
    await orch.api("/api/agents", {
      method: "POST",
      json: {
        name: agent.name,
        agent_type: "api",
        endpoint: agent.url,
        capabilities: ["research"],
      },
    });
    const created = await orch.api<Json>("/api/tasks", {
      method: "POST",
      json: { description: "Research leases" },
    });
    assertEquals(created.status, 201);
    assertEquals(created.body.status, "executing", "stored leased to the accepting process");
    const task = await orch.waitForTask(Number(created.body.task_id));
    assertEquals(task.status, "completed");
    assertEquals(task.attempts, 1);
    const types = (await listEvents(orch.orchestrator.db, Number(task.id))).map((e) => e.type);
    assertEquals(types, [
      "task.created",
      "task.started",
      "step.started",
      "step.completed",
      "task.completed",
    ]);
  } finally {
    await orch.close();
    await agent.close();
  }
});

dbTest("[intake] a task stored while the executor stops is handed back", async ({ url }) => {
  const orch = await startOrchestrator(url);
  try {
    const { executor, db } = orch.orchestrator;
    // Its first look for work holds the free slots while it is out.
    let lease = executor.reserve();
    for (let i = 0; i < 100 && !lease; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      lease = executor.reserve();
    }
    if (!lease) throw new Error("an idle executor has free slots");
    await executor.stop();
    // What submitTask does when its write lands after the stop began.
    const { task, steps } = await db.transaction().execute((trx) =>
      insertTask(trx, {
        session_id: "sess_intake_stop",
        user_id: "u",
        description: "Research late",
        steps: [{ step_number: 1, description: "Research late", capability: "research" }],
      }, { lease, ensureSession: true })
    );
    assertEquals(task.lease_owner, executor.owner);
    executor.adopt({ task, steps });
    let stored = await getTask(db, task.id);
    for (let i = 0; i < 100 && stored?.lease_owner; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      stored = await getTask(db, task.id);
    }
    assertEquals(stored?.lease_owner, null, "the lease is handed back, not left to expire");
    assertEquals(stored?.status, "executing", "unfinished, so another process claims it");
  } finally {
    await orch.close();
  }
});
