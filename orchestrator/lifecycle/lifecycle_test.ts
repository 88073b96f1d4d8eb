import { assert, assertEquals } from "@app/lib/assert";
import { dbTest, type TestDatabase } from "@app/db/testing";
import { getTask, getTaskSteps, listEvents, listMessages, WriteBatcher } from "@app/db";
import { silentLogger, TaskEvent, taskEvent } from "@app/lib";
import { sql } from "kysely";
import { createNotifier } from "../notifier.ts";
import { type Submission, TaskLifecycle } from "./lifecycle.ts";

async function lifecycleOn(t: TestDatabase) {
  const notifier = await createNotifier(t.db, silentLogger);
  const signals: string[] = [];
  notifier.subscribe("task_events", (id) => signals.push(`events:${id}`));
  notifier.subscribe("task_status", (id) => signals.push(`status:${id}`));
  notifier.subscribe("task_cancel", (id) => signals.push(`cancel:${id}`));
  notifier.subscribe("task_queue", () => signals.push("queue"));
  const lifecycle = new TaskLifecycle({ db: t.db, writes: new WriteBatcher(t.db), notifier });
  return { lifecycle, signals, close: () => notifier.close() };
}

const threeSteps = (overrides: Partial<Submission> = {}): Submission => ({
  session_id: `sess_${crypto.randomUUID().slice(0, 8)}`,
  user_id: "u",
  description: "Research, analyse, summarize",
  plan: { steps: [] },
  metadata: {},
  steps: [
    { step_number: 1, description: "research", capability: "research" },
    { step_number: 2, description: "analyse", capability: "analysis", dependencies: [1] },
    { step_number: 3, description: "summarize", capability: "summarize", dependencies: [2] },
  ],
  ...overrides,
});

const types = async (t: TestDatabase, taskId: number) =>
  (await listEvents(t.db, taskId)).map((e) => e.type);

/** Every stored event fits the typed union: its type and its data agree. */
async function assertEventsTyped(t: TestDatabase, taskId: number) {
  for (const event of await listEvents(t.db, taskId)) {
    const parsed = TaskEvent.safeParse(event);
    assert(parsed.success, `${event.type}: ${JSON.stringify(event.data)}`);
  }
}

dbTest("[lifecycle] submit stores task, steps, first events and the user's message", async (t) => {
  const { lifecycle, signals, close } = await lifecycleOn(t);
  try {
    const unleased = await lifecycle.submit(threeSteps({ plannerFallback: "no model" }));
    assertEquals(unleased.task.status, "pending");
    assertEquals(await types(t, unleased.task.id), ["task.created", "plan.fallback"]);
    assert(signals.includes("queue"), "an unleased task wakes the claimers");

    const leased = await lifecycle.submit(threeSteps({
      lease: { owner: "me", leaseMs: 30_000 },
      steps: threeSteps().steps.map((s) =>
        s.step_number === 1 ? { ...s, running: true, agent_name: "Researcher" } : s
      ),
    }));
    assertEquals(leased.task.status, "executing");
    assertEquals(leased.task.lease_owner, "me");
    assertEquals(await types(t, leased.task.id), ["task.created", "task.started", "step.started"]);
    const messages = await listMessages(t.db, leased.task.session_id);
    assertEquals(messages.map((m) => [m.role, m.content]), [[
      "user",
      "Research, analyse, summarize",
    ]]);
    await assertEventsTyped(t, leased.task.id);
  } finally {
    await close();
  }
});

dbTest("[lifecycle] a step moves only under the lease and only as the table allows", async (t) => {
  const { lifecycle, close } = await lifecycleOn(t);
  try {
    const [task] = [(await lifecycle.submit(threeSteps())).task];
    const [claimed] = await lifecycle.claim("me", 30_000, 1, { expired: false });
    assertEquals(claimed.id, task.id);
    const lease = { taskId: task.id, owner: "me" };
    const agent = { id: 1, name: "Researcher" };
    // Completing a step that never started is not a transition the table has.
    assertEquals(await lifecycle.completeStep(lease, task, 1, agent, { summary: "x" }), {
      step: false,
      task: false,
    });
    // Another process's writes are refused while "me" holds the lease.
    const stranger = { taskId: task.id, owner: "someone else" };
    assertEquals(
      await lifecycle.startStep(stranger, { step_number: 1 }, {
        agent: undefined,
        input_data: {},
        attempts: 1,
      }),
      false,
    );
    assert(
      await lifecycle.startStep(lease, { step_number: 1 }, {
        agent: undefined,
        input_data: {},
        attempts: 1,
      }),
    );
    assertEquals(await lifecycle.completeStep(lease, task, 1, agent, { summary: "found" }), {
      step: true,
      task: false,
    });
    // Once completed, a step is never completed again.
    assertEquals(
      (await lifecycle.completeStep(lease, task, 1, agent, { summary: "again" })).step,
      false,
    );
    const steps = await getTaskSteps(t.db, task.id);
    assertEquals(steps[0].output_data, { summary: "found" });
    assertEquals(await types(t, task.id), [
      "task.created",
      "task.started",
      "step.started",
      "step.completed",
    ]);
    await assertEventsTyped(t, task.id);
  } finally {
    await close();
  }
});

dbTest("[lifecycle] the last step completes the task with its answer in the session", async (t) => {
  const { lifecycle, close } = await lifecycleOn(t);
  try {
    const { task } = await lifecycle.submit({
      ...threeSteps(),
      steps: [{ step_number: 1, description: "research", capability: "research", running: true }],
      lease: { owner: "me", leaseMs: 30_000 },
    });
    const lease = { taskId: task.id, owner: "me" };
    const result = { summary: "All done.", insights: ["one"] };
    const outcome = await lifecycle.completeStep(lease, task, 1, { id: 1, name: "R" }, {
      summary: "All done.",
    }, { result });
    assertEquals(outcome, { step: true, task: true });
    const stored = await getTask(t.db, task.id);
    assertEquals(stored?.status, "completed");
    assertEquals(stored?.result, result);
    assertEquals(stored?.lease_owner, null);
    assertEquals((await types(t, task.id)).slice(-2), ["step.completed", "task.completed"]);
    const last = (await listMessages(t.db, task.session_id)).at(-1);
    assertEquals([last?.role, last?.content], ["assistant", "All done."]);
    await assertEventsTyped(t, task.id);
  } finally {
    await close();
  }
});

dbTest(
  "[lifecycle] every write signals the task's log; only a change of status its status",
  async (t) => {
    const { lifecycle, signals, close } = await lifecycleOn(t);
    try {
      const { task } = await lifecycle.submit({
        ...threeSteps(),
        steps: threeSteps().steps.slice(0, 2).map((s) => ({ ...s, running: s.step_number === 1 })),
        lease: { owner: "me", leaseMs: 30_000 },
      });
      const id = task.id;
      assertEquals(signals, [`events:${id}`, `status:${id}`], "stored: a new status");
      const lease = { taskId: id, owner: "me" };
      const agent = { id: 1, name: "R" };
      signals.length = 0;
      await lifecycle.completeStep(lease, task, 1, agent, { summary: "one" });
      await lifecycle.startStep(lease, { step_number: 2 }, {
        agent: undefined,
        input_data: {},
        attempts: 1,
      });
      await lifecycle.note(
        id,
        taskEvent("step.retry", {
          step_number: 2,
          agent_id: 1,
          attempt: 2,
          error: "e",
          delay_ms: 10,
        }),
      );
      assertEquals(signals, [`events:${id}`, `events:${id}`, `events:${id}`], "steps only");
      signals.length = 0;
      await lifecycle.completeStep(lease, task, 2, agent, { summary: "two" }, {
        result: { summary: "done" },
      });
      assertEquals(signals, [`events:${id}`, `status:${id}`], "the task's end");
    } finally {
      await close();
    }
  },
);

dbTest(
  "[lifecycle] failing a task skips its unstarted steps and ends with task.failed",
  async (t) => {
    const { lifecycle, close } = await lifecycleOn(t);
    try {
      const { task } = await lifecycle.submit({
        ...threeSteps(),
        lease: { owner: "me", leaseMs: 30_000 },
        steps: threeSteps().steps.map((s) => s.step_number === 1 ? { ...s, running: true } : s),
      });
      const lease = { taskId: task.id, owner: "me" };
      assertEquals(await lifecycle.failTask({ ...lease, owner: "not me" }, task, "nope"), false);
      assertEquals(
        (await getTask(t.db, task.id))?.status,
        "executing",
        "a stranger cannot fail it",
      );
      assert(await lifecycle.failStep(lease, 1, "agent down"));
      assert(await lifecycle.failTask(lease, task, "step 1 failed: agent down"));
      const stored = await getTask(t.db, task.id);
      assertEquals(stored?.status, "failed");
      assertEquals(stored?.error, "step 1 failed: agent down");
      assertEquals(stored?.result.error, "step 1 failed: agent down");
      assertEquals((await getTaskSteps(t.db, task.id)).map((s) => s.status), [
        "failed",
        "skipped",
        "skipped",
      ]);
      assertEquals((await types(t, task.id)).slice(-4), [
        "step.failed",
        "step.skipped",
        "step.skipped",
        "task.failed",
      ]);
      assertEquals((await listMessages(t.db, task.session_id)).at(-1)?.role, "assistant");
      // Finished: a cancel changes nothing and writes no event.
      const before = await types(t, task.id);
      assertEquals((await lifecycle.cancel(task.id))?.status, "failed");
      assertEquals(await types(t, task.id), before);
      await assertEventsTyped(t, task.id);
    } finally {
      await close();
    }
  },
);

dbTest("[lifecycle] cancel settles the steps and the lease with task.cancelled last", async (t) => {
  const { lifecycle, signals, close } = await lifecycleOn(t);
  try {
    const { task } = await lifecycle.submit({
      ...threeSteps(),
      lease: { owner: "me", leaseMs: 30_000 },
      steps: threeSteps().steps.map((s) => s.step_number === 1 ? { ...s, running: true } : s),
    });
    const cancelled = await lifecycle.cancel(task.id);
    assertEquals(cancelled?.status, "cancelled");
    assertEquals(cancelled?.lease_owner, null);
    assert(signals.includes(`cancel:${task.id}`), "its worker is told to abort");
    assertEquals((await getTaskSteps(t.db, task.id)).map((s) => s.status), [
      "cancelled",
      "cancelled",
      "cancelled",
    ]);
    assertEquals((await types(t, task.id)).slice(-4), [
      "step.cancelled",
      "step.cancelled",
      "step.cancelled",
      "task.cancelled",
    ]);
    // Its worker's late writes are refused: the lease went with the cancel.
    const lease = { taskId: task.id, owner: "me" };
    assertEquals(
      (await lifecycle.completeStep(lease, task, 1, { id: 1, name: "R" }, {})).step,
      false,
    );
    assertEquals(await lifecycle.failTask(lease, task, "late"), false);
    // A second cancel is a no-op; an unknown task is undefined.
    const count = (await types(t, task.id)).length;
    assertEquals((await lifecycle.cancel(task.id))?.status, "cancelled");
    assertEquals((await types(t, task.id)).length, count);
    assertEquals(await lifecycle.cancel(task.id + 1000), undefined);
    await assertEventsTyped(t, task.id);
  } finally {
    await close();
  }
});

dbTest("[lifecycle] a status and its event commit together or not at all", async (t) => {
  const { lifecycle, close } = await lifecycleOn(t);
  try {
    const { task } = await lifecycle.submit(threeSteps());
    // The database refuses the terminal event: the cancel must leave no trace either.
    if (t.dialect === "sqlite") {
      await sql`create trigger refuse_cancel_event before insert on task_events
        when new.type = 'task.cancelled' begin select raise(abort, 'refused'); end`.execute(t.db);
    } else {
      await sql`create function refuse_cancel_event() returns trigger language plpgsql as $$
        begin if new.type = 'task.cancelled' then raise exception 'refused'; end if;
        return new; end $$`.execute(t.db);
      await sql`create trigger refuse_cancel_event before insert on task_events
        for each row execute function refuse_cancel_event()`.execute(t.db);
    }
    let refused = false;
    await lifecycle.cancel(task.id).catch(() => refused = true);
    assert(refused, "the cancel fails with its event");
    assertEquals((await getTask(t.db, task.id))?.status, "pending");
    assertEquals((await getTaskSteps(t.db, task.id)).map((s) => s.status), [
      "pending",
      "pending",
      "pending",
    ]);
    assertEquals(await types(t, task.id), ["task.created"]);
  } finally {
    await close();
  }
});
