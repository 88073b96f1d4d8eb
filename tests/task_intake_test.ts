/**
 * A task accepted by a process with a free slot is stored already leased to it and run there;
 * one stored while that process stops is handed back at once, like the tasks it was running.
 */
import { assertEquals } from "@app/lib/assert";
import { dbTest } from "@app/db/testing";
import { getTask, insertTask, listEvents, type Task } from "@app/db";
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
    const step = { step_number: 1, description: "Research late", capability: "research" };
    // Its first look for work holds the free slots while it is out: until then, admitting
    // stores without a lease.
    let task: Task | undefined;
    for (let i = 0; i < 100 && !task; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      await executor.admit([{ ...step, dependencies: [] }], async (start) => {
        if (!start) return { task: { lease_owner: null } as Task };
        // The stop begins while the task is being stored, leased to this executor.
        const stopping = executor.stop();
        const stored = await db.transaction().execute((trx) =>
          insertTask(trx, {
            session_id: "sess_intake_stop",
            user_id: "u",
            description: "Research late",
            steps: [step],
          }, { lease: start.lease, ensureSession: true })
        );
        await stopping;
        task = stored.task;
        return stored;
      });
    }
    if (!task) throw new Error("an idle executor has free slots");
    assertEquals(task.lease_owner, executor.owner);
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
