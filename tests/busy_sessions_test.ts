/**
 * Busy sessions (issue 15, LangGraph's double-texting options) against real servers on SQLite
 * and Postgres: `if_busy` parallel (the default), enqueue (waits for the session's earlier
 * tasks, then is planned with their answers in view), reject (409) and interrupt (cancels
 * them, then starts).
 */
import { assert, assertEquals, assertStringIncludes } from "@app/lib/assert";
import { dbTest } from "@app/db/testing";
import { claimTasks, listEvents } from "@app/db";
import { startScriptedAgent } from "./helpers/scripted_agent.ts";
import { startOrchestrator } from "./helpers/orchestrator.ts";
import { waitFor } from "./helpers/webhook_receiver.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

/** An orchestrator with one agent whose research on "Research slowly" hangs until aborted. */
async function setUp(url: string, options: { delayMs?: number } = {}) {
  const agent = startScriptedAgent({
    name: "Worker",
    capabilities: ["research", "summarization"],
    delayMs: options.delayMs,
    behave: ({ instruction }) => instruction === "Research slowly" ? { hang: true } : undefined,
  });
  const o = await startOrchestrator(url);
  await o.api("/api/agents", {
    method: "POST",
    json: {
      name: "Worker",
      agent_type: "api",
      endpoint: agent.url,
      capabilities: ["research", "summarization"],
    },
  });
  const submit = (json: Json) => o.api<Json>("/api/tasks", { method: "POST", json });
  return {
    agent,
    o,
    submit,
    close: async () => {
      await o.close();
      await agent.close();
    },
  };
}

dbTest(
  "[busy] reject answers 409 while the session has a task running; parallel (the default) runs beside it",
  async ({ url }) => {
    const { agent, o, submit, close } = await setUp(url);
    try {
      const first = await submit({ description: "Research slowly" });
      const session_id = first.body.session_id;
      await waitFor(() => agent.calls.get("Research slowly") === 1, "the first to run");
      const refused = await submit({ description: "Research tea", session_id, if_busy: "reject" });
      assertEquals(refused.status, 409, JSON.stringify(refused.body));
      assertStringIncludes(refused.body.error.message, `task ${first.body.task_id}`);
      const bad = await submit({ description: "Research tea", session_id, if_busy: "sometimes" });
      assertEquals(bad.status, 422);
      assertEquals(bad.body.error.details[0].field, "if_busy");
      // Beside it, by default and by name.
      for (const if_busy of [undefined, "parallel"]) {
        const beside = await submit({ description: "Research tea", session_id, if_busy });
        assertEquals(beside.status, 201);
        assertEquals((await o.waitForTask(beside.body.task_id) as Json).status, "completed");
      }
      await o.api(`/api/tasks/${first.body.task_id}/cancel`, { method: "POST" });
      // Nothing runs now: reject lets it through.
      const after = await submit({ description: "Research tea", session_id, if_busy: "reject" });
      assertEquals(after.status, 201, JSON.stringify(after.body));
    } finally {
      await close();
    }
  },
);

dbTest(
  "[busy] interrupt cancels the session's running task, then starts",
  async ({ db, url }) => {
    const { agent, o, submit, close } = await setUp(url);
    try {
      const first = await submit({ description: "Research slowly" });
      const session_id = first.body.session_id;
      await waitFor(() => agent.calls.get("Research slowly") === 1, "the first to run");
      const second = await submit({
        description: "Research coffee",
        session_id,
        if_busy: "interrupt",
      });
      assertEquals(second.status, 201);
      const cancelled = (await o.api<Json>(`/api/tasks/${first.body.task_id}`)).body;
      assertEquals(cancelled.status, "cancelled", "cancelled before the new one was stored");
      assert(second.body.task_id > first.body.task_id);
      assertEquals((await o.waitForTask(second.body.task_id) as Json).status, "completed");
      const types = (await listEvents(db, first.body.task_id)).map((e) => e.type);
      assertEquals(types.at(-1), "task.cancelled");
    } finally {
      await close();
    }
  },
);

dbTest(
  "[busy] enqueue waits, unclaimable, until the session's earlier tasks end, and is planned with their answers in view",
  async ({ db, url }) => {
    const { agent, o, submit, close } = await setUp(url, { delayMs: 300 });
    try {
      const first = await submit({ description: "Research the history of tea" });
      const session_id = first.body.session_id;
      const second = await submit({
        description: "Now summarize that in one sentence",
        session_id,
        if_busy: "enqueue",
      });
      assertEquals(second.body.status, "queued");
      // Behind the second, a third that also needs approval when its turn comes.
      const third = await submit({
        description: "Research coffee",
        session_id,
        if_busy: "enqueue",
        require_approval: true,
      });
      assertEquals(third.body.status, "queued");
      const claimed = await claimTasks(db, "probe", 30_000, 10, { expired: true });
      assertEquals(claimed.map((t) => t.id).includes(second.body.task_id), false);

      const firstDone = await o.waitForTask(first.body.task_id) as Json;
      const secondDone = await o.waitForTask(second.body.task_id) as Json;
      assertEquals(secondDone.status, "completed", JSON.stringify(secondDone));
      assert(
        secondDone.steps[0].started_at >= firstDone.completed_at,
        "it started after the first ended",
      );
      // Planned when its turn came: its step works on the first task's answer.
      const summarized = agent.inputs.at(-1)!;
      assertStringIncludes(summarized, "Worker handled");
      assertStringIncludes(summarized, "history of tea");
      const types = (await listEvents(db, second.body.task_id)).map((e) => e.type);
      assertEquals(types.slice(0, 3), ["task.created", "task.dequeued", "task.started"]);

      // The third's turn: it waits for approval now, planned then.
      await waitFor(
        async () =>
          (await o.api<Json>(`/api/tasks/${third.body.task_id}`)).body.status ===
            "awaiting_approval",
        "the third to await approval",
      );
      const approved = await o.api(`/api/tasks/${third.body.task_id}/approve`, { method: "POST" });
      assertEquals(approved.status, 200);
      assertEquals((await o.waitForTask(third.body.task_id) as Json).status, "completed");
      const thirdTypes = (await listEvents(db, third.body.task_id)).map((e) => e.type);
      assertEquals(thirdTypes.slice(0, 4), [
        "task.created",
        "task.dequeued",
        "plan.proposed",
        "plan.approved",
      ]);
    } finally {
      await close();
    }
  },
);
