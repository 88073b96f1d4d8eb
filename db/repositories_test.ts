/** One definition of each repository test, run on SQLite and (with TEST_DATABASE_URL) Postgres. */
import { assert, assertEquals, assertRejects } from "@app/lib/assert";
import { dbTest, setStepRow, setTaskRow } from "./testing.ts";
import { taskEvent } from "@app/lib/task_events";
import {
  addMessage,
  agentStats,
  appendEvent,
  claimTask,
  createAgent,
  createSession,
  createTask,
  deleteAgent,
  deleteSession,
  ensureSession,
  getAgent,
  getSession,
  getTask,
  getTaskSteps,
  listAgents,
  listEvents,
  listMessages,
  listSessions,
  listTasks,
  recordAgentHealth,
  releaseLease,
  renewLease,
  sessionActivities,
  sessionActivity,
  transitions,
  updateAgent,
} from "./mod.ts";
import { InvalidCursorError } from "./cursor.ts";

const TRICKY_JSON = {
  nested: { deep: [1, 2.5, -3, { k: [true, false, null] }], empty: {} },
  unicode: "héllo wörld — 日本語 🚀 \u0000 \u2028 'quotes' \"double\" \\ back",
  long: "x".repeat(200_000),
  zIsFirst: 1,
  aIsLast: 2,
};

// Text columns hold any unicode but NUL, which Postgres refuses in text (the API rejects it).
const TEXT = "héllo wörld — 日本語 🚀 \u2028 'quotes' \"double\" \\ back " + "y".repeat(100_000);

dbTest("[db] agents: create, find by capability, update, health, stats, delete", async ({ db }) => {
  const research = await createAgent(db, {
    name: "ResearchAgent",
    description: "AI research assistant",
    agent_type: "a2a_server",
    endpoint: "http://localhost:8001",
    capabilities: ["research", "analysis"],
    metadata: { owner: "team-a" },
  });
  assertEquals(research.id, 1);
  assertEquals(research.status, "active");
  assertEquals(research.capabilities, ["research", "analysis"]);
  assertEquals(research.metadata, { owner: "team-a" });
  const api = await createAgent(db, {
    name: "ApiAgent",
    agent_type: "api",
    endpoint: "http://localhost:8002",
    capabilities: ["summarization", "Analysis"],
  });

  assertEquals((await listAgents(db, { capability: "research" })).map((a) => a.name), [
    "ResearchAgent",
  ]);
  assertEquals((await listAgents(db, { capability: "analysis" })).map((a) => a.name), [
    "ResearchAgent",
    "ApiAgent",
  ]);
  assertEquals(await listAgents(db, { capability: "poetry" }), []);

  await assertRejects(() =>
    createAgent(db, { name: "ResearchAgent", agent_type: "api", endpoint: "http://x" })
  );

  const updated = await updateAgent(db, api.id, { description: "now described" });
  assertEquals(updated?.description, "now described");
  assertEquals(updated?.capabilities, ["summarization", "Analysis"]);

  const failed = await recordAgentHealth(db, api.id, { status: "error", error: "refused" });
  assertEquals([failed?.status, failed?.last_error, failed?.last_seen_at], [
    "error",
    "refused",
    null,
  ]);
  const healthy = await recordAgentHealth(db, api.id, { status: "active" });
  assertEquals(healthy?.last_error, null);
  assert(healthy?.last_seen_at, "a successful check stamps last_seen_at");
  assertEquals((await listAgents(db, { status: "active" })).length, 2);

  await recordAgentHealth(db, research.id, { status: "inactive", error: "timeout" });
  assertEquals(await agentStats(db), {
    total: 2,
    active: 1,
    inactive: 1,
    error: 0,
    by_type: { a2a_server: 1, api: 1 },
  });

  assertEquals(await deleteAgent(db, research.id), true);
  assertEquals(await deleteAgent(db, research.id), false);
  assertEquals(await getAgent(db, research.id), undefined);
});

dbTest("[db] JSON and timestamps read back exactly as written", async ({ db }) => {
  const agent = await createAgent(db, {
    name: "json-agent",
    agent_type: "langgraph",
    endpoint: "http://localhost:1",
    config: TRICKY_JSON,
    metadata: { list: [TRICKY_JSON.nested] },
  });
  const read = await getAgent(db, agent.id);
  assertEquals(read?.config, TRICKY_JSON);
  assertEquals(Object.keys(read!.config), Object.keys(TRICKY_JSON), "key order is kept");
  assertEquals(read?.metadata, { list: [TRICKY_JSON.nested] });
  assertEquals(read?.created_at, agent.created_at);
  assert(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(read!.created_at), read!.created_at);

  const session = await createSession(db, { user_id: "u" });
  const { task } = await createTask(db, {
    session_id: session.session_id,
    user_id: "u",
    description: TEXT,
  });
  // A timestamp written with another zone reads back as the same instant, in UTC.
  const done = await setTaskRow(db, task.id, {
    completed_at: new Date("2025-11-02T21:35:00.123+02:00").toISOString(),
  });
  assertEquals(done?.completed_at, "2025-11-02T19:35:00.123Z");
  assertEquals((await getTask(db, task.id))?.completed_at, "2025-11-02T19:35:00.123Z");
  assertEquals((await getTask(db, task.id))?.description, TEXT);
});

dbTest("[db] sessions: create, ensure, list newest first with cursors, delete", async ({ db }) => {
  const first = await createSession(db, { user_id: "alice", metadata: { source: "web" } });
  assert(first.session_id.startsWith("sess_"));
  assertEquals(first.metadata, { source: "web" });
  const second = await createSession(db, { user_id: "bob" });
  const third = await createSession(db, { user_id: "alice" });

  const ensured = await ensureSession(db, { session_id: first.session_id, user_id: "other" });
  assertEquals(ensured.user_id, "alice", "an existing session is not overwritten");
  const made = await ensureSession(db, { session_id: "sess_custom", user_id: "carol" });
  assertEquals(made.user_id, "carol");

  const alice = await listSessions(db, { user_id: "alice" });
  assertEquals(
    alice.sessions.map((s) => s.session_id).sort(),
    [
      first.session_id,
      third.session_id,
    ].sort(),
  );

  const page1 = await listSessions(db, { limit: 2 });
  assertEquals(page1.sessions.length, 2);
  assert(page1.nextCursor, "a full page has a cursor");
  const page2 = await listSessions(db, { limit: 2, cursor: page1.nextCursor });
  assertEquals(page2.sessions.length, 2);
  assertEquals(page2.nextCursor, undefined);
  const all = [...page1.sessions, ...page2.sessions].map((s) => s.session_id);
  assertEquals(new Set(all).size, 4);
  assert(all.includes(second.session_id));
  await assertRejects(() => listSessions(db, { cursor: "garbage" }), InvalidCursorError);

  assertEquals(await deleteSession(db, second.session_id), true);
  assertEquals(await getSession(db, second.session_id), undefined);
});

dbTest("[db] messages: conversation order, last N, activity, cascade on delete", async ({ db }) => {
  const session = await createSession(db, { user_id: "u" });
  for (
    const [role, content] of [["user", "Tell me about AI"], ["assistant", "AI is..."], [
      "user",
      "more",
    ]] as const
  ) {
    await addMessage(db, { session_id: session.session_id, role, content });
  }
  const history = await listMessages(db, session.session_id);
  assertEquals(history.map((m) => [m.role, m.content]), [
    ["user", "Tell me about AI"],
    ["assistant", "AI is..."],
    ["user", "more"],
  ]);
  assertEquals((await listMessages(db, session.session_id, { last: 2 })).map((m) => m.content), [
    "AI is...",
    "more",
  ]);
  const activity = await sessionActivity(db, session.session_id);
  assertEquals(activity.message_count, 3);
  assertEquals(activity.last_activity, history[2].created_at);
  assertEquals(await sessionActivity(db, "sess_none"), { message_count: 0, last_activity: null });
  const quiet = await createSession(db, { user_id: "q" });
  const many = await sessionActivities(db, [session.session_id, quiet.session_id]);
  assertEquals(many.get(session.session_id), activity);
  assertEquals(many.get(quiet.session_id), { message_count: 0, last_activity: null });

  await assertRejects(() =>
    addMessage(db, { session_id: "sess_missing", role: "user", content: "x" })
  );
  await deleteSession(db, session.session_id);
  assertEquals(await listMessages(db, session.session_id), []);
});

dbTest(
  "[db] tasks: created with steps and an event, listed by session and status",
  async ({ db }) => {
    const session = await createSession(db, { user_id: "u" });
    const plan = { steps: [{ step_number: 1, description: "Research" }], complexity: "low" };
    const { task, steps } = await createTask(db, {
      session_id: session.session_id,
      user_id: "u",
      description: "Research AI and summarize",
      plan,
      steps: [
        {
          step_number: 2,
          description: "Summarize",
          capability: "summarization",
          dependencies: [1],
        },
        { step_number: 1, description: "Research", capability: "research", agent_id: 7 },
      ],
    });
    assertEquals(task.id, 1);
    assertEquals(task.status, "pending");
    assertEquals(task.plan, plan);
    assertEquals(steps.map((s) => [s.step_number, s.dependencies, s.agent_id]), [
      [1, [], 7],
      [2, [1], null],
    ]);
    assertEquals((await listEvents(db, task.id)).map((e) => e.type), ["task.created"]);

    await createTask(db, { session_id: session.session_id, user_id: "u", description: "second" });
    await setTaskRow(db, task.id, { status: "completed", result: { summary: "done" } });
    assertEquals((await listTasks(db, { status: "completed" })).tasks.map((t) => t.id), [1]);
    assertEquals((await listTasks(db, { session_id: session.session_id })).tasks.map((t) => t.id), [
      2,
      1,
    ]);
    const page = await listTasks(db, { limit: 1 });
    assertEquals(page.tasks.map((t) => t.id), [2]);
    assertEquals(
      (await listTasks(db, { limit: 1, cursor: page.nextCursor })).tasks.map((t) => t.id),
      [
        1,
      ],
    );

    const step = await setStepRow(db, task.id, 1, {
      status: "completed",
      output_data: { findings: ["a"] },
      attempts: 1,
    });
    assertEquals(step?.output_data, { findings: ["a"] });
    assertEquals((await getTaskSteps(db, task.id))[0].status, "completed");
    await assertRejects(() =>
      createTask(db, { session_id: "sess_missing", user_id: "u", description: "x" })
    );
  },
);

dbTest("[db] leases: one claimer per task, renewal, expiry takeover, release", async ({ db }) => {
  const session = await createSession(db, { user_id: "u" });
  const ids: number[] = [];
  for (let i = 0; i < 3; i++) {
    ids.push(
      (await createTask(db, { session_id: session.session_id, user_id: "u", description: `t${i}` }))
        .task.id,
    );
  }
  const a = await claimTask(db, "worker-a", 60_000);
  const b = await claimTask(db, "worker-b", 60_000);
  assertEquals([a?.id, a?.lease_owner, a?.attempts], [ids[0], "worker-a", 1]);
  assertEquals(b?.id, ids[1]);
  assertEquals(await renewLease(db, ids[0], "worker-a", 60_000), true);
  assertEquals(await renewLease(db, ids[0], "worker-b", 60_000), false, "not b's lease");

  // A guarded update by a worker that does not hold the lease is not applied.
  assertEquals(
    await transitions.failTask(db, { taskId: ids[0], owner: "worker-b" }, "not mine", {}),
    false,
  );

  // Finished tasks are never claimed; an expired lease is taken over.
  assert(await transitions.completeTask(db, { taskId: ids[1], owner: "worker-b" }, {}));
  const expiring = await claimTask(db, "worker-c", -1);
  assertEquals(expiring?.id, ids[2]);
  const takeover = await claimTask(db, "worker-d", 60_000);
  assertEquals([takeover?.id, takeover?.lease_owner, takeover?.attempts], [ids[2], "worker-d", 2]);
  assertEquals(await claimTask(db, "worker-e", 60_000), undefined, "nothing left to claim");
  assertEquals(await renewLease(db, ids[2], "worker-c", 60_000), false, "c lost its lease");

  assertEquals(await releaseLease(db, ids[0], "worker-a"), true);
  assertEquals((await claimTask(db, "worker-f", 60_000))?.id, ids[0]);
});

dbTest("[db] leases: concurrent claimers never take the same task", async ({ db, reconnect }) => {
  const session = await createSession(db, { user_id: "u" });
  const total = 60;
  for (let i = 0; i < total; i++) {
    await createTask(db, { session_id: session.session_id, user_id: "u", description: `t${i}` });
  }
  const pools = [db, reconnect(), reconnect()];
  const claimed: number[] = [];
  await Promise.all(pools.flatMap((pool, p) =>
    Array.from({ length: 4 }, async (_, w) => {
      while (true) {
        const task = await claimTask(pool, `w${p}-${w}`, 60_000);
        if (!task) return;
        claimed.push(task.id);
      }
    })
  ));
  assertEquals(claimed.length, total, "every task claimed exactly once");
  assertEquals(new Set(claimed).size, total);
});

dbTest("[db] events: appended in order, replayed after an id", async ({ db }) => {
  const session = await createSession(db, { user_id: "u" });
  const { task } = await createTask(db, {
    session_id: session.session_id,
    user_id: "u",
    description: "x",
  });
  const e1 = await appendEvent(
    db,
    task.id,
    taskEvent("step.started", { step_number: 1, agent_id: null, agent_name: null }),
  );
  const e2 = await appendEvent(
    db,
    task.id,
    taskEvent("step.completed", { step_number: 1, agent_id: 1, agent_name: "a", output: {} }),
  );
  assert(e2.id > e1.id, "ids grow");
  const all = await listEvents(db, task.id);
  assertEquals(all.map((e) => e.type), ["task.created", "step.started", "step.completed"]);
  assertEquals((await listEvents(db, task.id, { afterId: e1.id })).map((e) => e.data), [
    { step_number: 1, agent_id: 1, agent_name: "a", output: {} },
  ]);
  assertEquals(await listEvents(db, task.id + 1), []);
});
