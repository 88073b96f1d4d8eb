/**
 * TASK_RETENTION_DAYS: tasks finished longer ago than that keep only their terminal event;
 * newer and unfinished tasks keep their whole log; tasks, steps, sessions and messages stay,
 * so a compacted task still reads the same and its event stream replays its end.
 */
import { assert, assertEquals, assertMatch, assertThrows } from "@app/lib/assert";
import { ConfigError, parseConfig, silentLogger } from "@app/lib";
import { dbTest } from "@app/db/testing";
import type { Database } from "@app/db";
import type { Kysely } from "kysely";
import { RetentionSweeper } from "../orchestrator/retention_sweeper.ts";
import { startScriptedAgent } from "./helpers/scripted_agent.ts";
import { type RunningOrchestrator, startOrchestrator } from "./helpers/orchestrator.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

const DAY_MS = 86_400_000;

async function finishedTask(orch: RunningOrchestrator, description: string): Promise<Json> {
  const { status, body } = await orch.api<Json>("/api/tasks", {
    method: "POST",
    json: { description },
    headers: { Prefer: "wait=30" },
  });
  assertEquals(status, 201, JSON.stringify(body));
  return body;
}

const eventTypes = async (db: Kysely<Database>, taskId: number) =>
  (await db.selectFrom("task_events").select("type").where("task_id", "=", taskId).orderBy("id")
    .execute()).map((e) => e.type);

const ageBy = (db: Kysely<Database>, taskId: number, days: number) =>
  db.updateTable("tasks").set({ completed_at: new Date(Date.now() - days * DAY_MS).toISOString() })
    .where("id", "=", taskId).execute();

async function withAgentAndOrchestrator(
  url: string,
  env: Record<string, string>,
  fn: (orch: RunningOrchestrator) => Promise<void>,
) {
  const agent = startScriptedAgent({
    name: "Instant",
    capabilities: ["research", "summarization"],
  });
  const orch = await startOrchestrator(url, env);
  try {
    await orch.api("/api/agents", {
      method: "POST",
      json: {
        name: "Instant",
        agent_type: "api",
        endpoint: agent.url,
        capabilities: agent.capabilities,
      },
    });
    await fn(orch);
  } finally {
    await orch.close();
    await agent.close();
  }
}

Deno.test("[retention] TASK_RETENTION_DAYS: 0 by default, fractions allowed, negative refused", () => {
  assertEquals(parseConfig({ LLM_PROVIDER: "offline" }).TASK_RETENTION_DAYS, 0);
  assertEquals(parseConfig({ TASK_RETENTION_DAYS: "0.5" }).TASK_RETENTION_DAYS, 0.5);
  const error = assertThrows(() => parseConfig({ TASK_RETENTION_DAYS: "-1" }), ConfigError);
  assertMatch(error.message, /TASK_RETENTION_DAYS/);
});

dbTest(
  "[retention] old finished tasks keep only their terminal event; the rest is untouched",
  async ({ url, db }) => {
    await withAgentAndOrchestrator(url, {}, async (orch) => {
      const old = await finishedTask(orch, "Research the old days. Then summarize them.");
      const recent = await finishedTask(orch, "Research the recent days");
      const recentLog = await eventTypes(db, recent.task_id);
      assert(recentLog.length > 2, recentLog.join());
      await ageBy(db, old.task_id, 40);
      await ageBy(db, recent.task_id, 10);

      const sweeper = new RetentionSweeper({ db, logger: silentLogger, retentionDays: 30 });
      const swept = await sweeper.sweep();
      assertEquals(swept.tasks, 1);
      assert(swept.events > 0);
      assertEquals(await eventTypes(db, old.task_id), ["task.completed"]);
      assertEquals(await eventTypes(db, recent.task_id), recentLog, "newer tasks keep it all");

      // The compacted task reads as before, its session and messages are kept, and its event
      // stream replays the end and closes.
      const view = await orch.api<Json>(`/api/tasks/${old.task_id}`);
      assertEquals(view.body.status, "completed");
      assertEquals(view.body.steps.length, 2);
      assertEquals(view.body.steps[1].output_data, old.steps[1].output_data);
      const session = await orch.api<Json>(`/api/sessions/${old.session_id}`);
      assertEquals(session.status, 200);
      const messages = await db.selectFrom("messages").select("role")
        .where("session_id", "=", old.session_id).execute();
      assert(messages.length >= 2, "the request and the answer");
      const stream = await (await fetch(`${orch.url}/api/tasks/${old.task_id}/events`)).text();
      assertEquals([...stream.matchAll(/^event: (.+)$/gm)].map((m) => m[1]), ["task.completed"]);

      // A second sweep starts where the first stopped: nothing new is old enough yet...
      assertEquals(await sweeper.sweep(), { tasks: 0, events: 0 });
      // ...until the next task is.
      await ageBy(db, recent.task_id, 31);
      assertEquals((await sweeper.sweep()).tasks, 1);
      assertEquals(await eventTypes(db, recent.task_id), ["task.completed"]);
    });
  },
);

dbTest(
  "[retention] a task submitted after the cutoff stops the walk; an old unfinished one does not",
  async ({ url, db }) => {
    await withAgentAndOrchestrator(url, {}, async (orch) => {
      const tasks = [];
      for (const name of ["first", "second", "third"]) {
        tasks.push((await finishedTask(orch, `Research the ${name}`)).task_id as number);
      }
      const [first, second, third] = tasks;
      for (const id of tasks) await ageBy(db, id, 40);
      const submittedLongAgo = new Date(Date.now() - 41 * DAY_MS).toISOString();
      // The first as if still running, submitted just now: the walk stops there.
      const unfinish = (id: number, created_at: string) =>
        db.updateTable("tasks").set({ status: "executing", completed_at: null, created_at })
          .where("id", "=", id).execute();
      await unfinish(first, new Date().toISOString());
      const before = await eventTypes(db, first);

      const sweeper = new RetentionSweeper({ db, logger: silentLogger, retentionDays: 30 });
      assertEquals((await sweeper.sweep()).tasks, 0);
      assertEquals(await eventTypes(db, first), before);
      assert((await eventTypes(db, second)).length > 1, "behind it, not reached yet");

      // Submitted long ago and still waiting (on a person, say): passed over, and the rest
      // behind it compacted.
      await unfinish(first, submittedLongAgo);
      assertEquals((await sweeper.sweep()).tasks, 2);
      assertEquals(await eventTypes(db, first), before, "its log whole while it runs");
      assertEquals(await eventTypes(db, third), ["task.completed"]);

      // Once it has ended and aged, a later sweep comes back for it.
      await db.updateTable("tasks").set({ status: "completed" }).where("id", "=", first).execute();
      await ageBy(db, first, 31);
      assertEquals((await sweeper.sweep()).tasks, 1);
      assertEquals(await eventTypes(db, first), ["task.completed"]);
      assertEquals(await sweeper.sweep(), { tasks: 0, events: 0 });
    });
  },
);

dbTest(
  "[retention] the orchestrator sweeps by itself with TASK_RETENTION_DAYS set",
  async ({ url, db }) => {
    let taskId = 0;
    await withAgentAndOrchestrator(url, {}, async (orch) => {
      taskId = (await finishedTask(orch, "Research long ago")).task_id;
    });
    await ageBy(db, taskId, 3);
    await withAgentAndOrchestrator(url, { TASK_RETENTION_DAYS: "2" }, async (orch) => {
      assert(orch.orchestrator.retention, "a sweeper runs");
      const deadline = Date.now() + 30_000;
      while ((await eventTypes(db, taskId)).length > 1) {
        assert(Date.now() < deadline, "the first sweep never came");
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assertEquals(await eventTypes(db, taskId), ["task.completed"]);
    });
  },
);
