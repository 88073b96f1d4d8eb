import { assert, assertEquals } from "@app/lib/assert";
import { dbTest } from "@app/db/testing";
import { getTask, getTaskSteps, listEvents, transitions } from "@app/db";
import { startScriptedAgent } from "../../tests/helpers/scripted_agent.ts";
import { executorFixture, OWNER } from "../../tests/helpers/executor_fixture.ts";
import { LeaseLost } from "./errors.ts";
import { runTaskGraph } from "./task_run.ts";

const diamond = [
  { step_number: 1, capability: "research" },
  { step_number: 2, capability: "research", dependencies: [1] },
  { step_number: 3, capability: "research", dependencies: [1] },
  { step_number: 4, capability: "research", dependencies: [2, 3] },
];

dbTest(
  "[task run] a step graph runs in dependency order; the last write completes it",
  async (t) => {
    const agent = startScriptedAgent({ name: "Worker", capabilities: ["research"], delayMs: 20 });
    const fixture = await executorFixture(t, [agent]);
    try {
      const { task } = await fixture.submit(diamond);
      await runTaskGraph(fixture.deps, { task }, new AbortController().signal);
      const stored = await getTask(t.db, task.id);
      assertEquals(stored?.status, "completed");
      assertEquals(Object.keys(stored!.result.step_outputs as object), ["1", "2", "3", "4"]);
      // Step 4 saw what 2 and 3 found; 2 and 3 overlapped (they only wait for 1).
      assert(agent.inputs.at(-1)!.includes('handled "step 2"'), agent.inputs.at(-1));
      assert(agent.inputs.at(-1)!.includes('handled "step 3"'));
      const [, second, third] = agent.intervals;
      assert(second[0] < third[1] && third[0] < second[1], "steps 2 and 3 ran side by side");
      const types = await fixture.eventTypes(task.id);
      assertEquals(types.filter((e) => e === "step.completed").length, 4);
      assertEquals(types.at(-1), "task.completed");
      assertEquals(types.filter((e) => e === "task.completed").length, 1);
    } finally {
      await fixture.close();
      await agent.close();
    }
  },
);

dbTest("[task run] a resumed task never runs its completed steps again", async (t) => {
  const agent = startScriptedAgent({ name: "Worker", capabilities: ["research"] });
  const fixture = await executorFixture(t, [agent]);
  try {
    const { task } = await fixture.submit(diamond.slice(0, 2));
    // Step 1 finished under the previous owner before it died.
    const lease = { taskId: task.id, owner: OWNER };
    await transitions.startStep(t.db, lease, 1, { agent_id: null, input_data: {}, attempts: 1 });
    await transitions.completeStep(t.db, lease, 1, { id: 1, name: "a" }, {
      summary: "found before the crash",
    });
    await runTaskGraph(fixture.deps, { task }, new AbortController().signal);
    assertEquals(agent.calls.get("step 1"), undefined, "step 1 is not called again");
    assertEquals(agent.calls.get("step 2"), 1);
    assert(agent.inputs[0].includes("found before the crash"), "step 2 gets step 1's output");
    assertEquals((await getTask(t.db, task.id))?.status, "completed");
  } finally {
    await fixture.close();
    await agent.close();
  }
});

dbTest("[task run] a failed step fails the task and skips what depends on it", async (t) => {
  const agent = startScriptedAgent({
    name: "Worker",
    capabilities: ["research"],
    behave: ({ instruction }) => instruction === "step 2" ? { status: 400 } : undefined,
  });
  const fixture = await executorFixture(t, [agent]);
  try {
    const { task } = await fixture.submit(diamond);
    await runTaskGraph(fixture.deps, { task }, new AbortController().signal);
    const stored = await getTask(t.db, task.id);
    assertEquals(stored?.status, "failed");
    assert(stored?.error?.startsWith("step 2 failed: agent Worker: answered HTTP 400"));
    const statuses = (await getTaskSteps(t.db, task.id)).map((s) => s.status);
    assertEquals(statuses, ["completed", "failed", "completed", "skipped"]);
    assertEquals((await fixture.eventTypes(task.id)).at(-1), "task.failed");
  } finally {
    await fixture.close();
    await agent.close();
  }
});

dbTest("[task run] a cancel mid-run stops it without failing the task", async (t) => {
  let cancel: () => void = () => {};
  const agent = startScriptedAgent({
    name: "Worker",
    capabilities: ["research"],
    behave: ({ instruction }) => {
      if (instruction === "step 2") {
        cancel();
        return { hang: true };
      }
    },
  });
  const fixture = await executorFixture(t, [agent]);
  try {
    const { task } = await fixture.submit(diamond.slice(0, 2));
    const abort = new AbortController();
    cancel = () => {
      fixture.lifecycle.cancel(task.id).then(() => abort.abort(new Error("cancelled")));
    };
    await runTaskGraph(fixture.deps, { task }, abort.signal);
    assertEquals((await getTask(t.db, task.id))?.status, "cancelled");
    assertEquals((await getTaskSteps(t.db, task.id)).map((s) => s.status), [
      "completed",
      "cancelled",
    ]);
    assertEquals((await fixture.eventTypes(task.id)).at(-1), "task.cancelled");
  } finally {
    await fixture.close();
    await agent.close();
  }
});

/** K steps, each depending on the one before. */
const chainOf = (k: number) =>
  Array.from({ length: k }, (_, i) => ({
    step_number: i + 1,
    capability: "research",
    dependencies: i ? [i] : [],
  }));

for (const budget of [undefined, { max_tokens: 1_000_000 }]) {
  dbTest(
    `[task run] a chain's next step starts in the write that completes the one before` +
      (budget ? ", the budget read in that write" : ""),
    async (t) => {
      const agent = startScriptedAgent({
        name: "Worker",
        capabilities: ["research"],
        usage: { input_tokens: 10, output_tokens: 5, model: "gpt-4o-mini" },
      });
      const fixture = await executorFixture(t, [agent]);
      try {
        for (const k of [1, 3, 5]) {
          const { task } = await fixture.submit(chainOf(k), {
            context: { budget: budget ?? null, traceparent: null },
          });
          const before = fixture.writes.stats.writes;
          await runTaskGraph(fixture.deps, { task }, new AbortController().signal);
          assertEquals((await getTask(t.db, task.id))?.status, "completed");
          // Step 1's start, then one write per step: a step's completion starts the next (a
          // start and a completion each, 2k writes, without). The last completes the task.
          assertEquals(fixture.writes.stats.writes - before, k + 1, `writes for k=${k}`);
          for (let n = 1; n <= k; n++) assertEquals(agent.calls.get(`step ${n}`), 1);
          agent.calls.clear();
          const events = await listEvents(t.db, task.id);
          const order = events.filter((e) => e.type.startsWith("step."))
            .map((e) => `${e.type} ${(e.data as { step_number?: number }).step_number}`);
          assertEquals(
            order,
            chainOf(k).flatMap((s) => [
              `step.started ${s.step_number}`,
              `step.completed ${s.step_number}`,
            ]),
          );
          assertEquals(events.at(-1)?.type, "task.completed");
          const steps = await getTaskSteps(t.db, task.id);
          assertEquals(
            steps.map((s) => [s.status, s.attempts, s.agent_name]),
            steps.map(() => [
              "completed",
              1,
              "Worker",
            ]),
          );
          // Each started with what its dependency found, as a start of its own records it.
          for (const step of steps.slice(1)) {
            const dependency = String(step.step_number - 1);
            assertEquals(
              (step.input_data.dependencies as Record<string, unknown>)[dependency],
              steps[step.step_number - 2].output_data,
            );
            assertEquals(step.input_data.capability, "research");
          }
        }
      } finally {
        await fixture.close();
        await agent.close();
      }
    },
  );
}

/**
 * A 3-step chain whose step 1's agent answers only after `meanwhile` (done while it works)
 * has settled: what that does to the task decides what step 1's completion may start.
 */
async function chainInterrupted(
  t: Parameters<Parameters<typeof dbTest>[1]>[0],
  meanwhile: (taskId: number, fixture: Awaited<ReturnType<typeof executorFixture>>) => Promise<
    unknown
  >,
) {
  let during: Promise<unknown> = Promise.resolve();
  let act = () => {};
  const agent = startScriptedAgent({
    name: "Worker",
    capabilities: ["research"],
    behave: ({ instruction }) => {
      if (instruction !== "step 1") return undefined;
      act();
      return { after: during };
    },
  });
  const fixture = await executorFixture(t, [agent]);
  try {
    const { task } = await fixture.submit(chainOf(3));
    act = () => (during = meanwhile(task.id, fixture));
    // The run's own signal is not aborted: the change is another process's, not yet heard.
    const error = await runTaskGraph(fixture.deps, { task }, new AbortController().signal)
      .then(() => undefined, (e) => e);
    assertEquals(agent.successes.get("step 1"), 1, "step 1's agent did its work");
    assertEquals(agent.calls.get("step 2"), undefined, "step 2 is never sent");
    const types = await fixture.eventTypes(task.id);
    assertEquals(types.filter((e) => e === "step.started").length, 1, "only step 1 started");
    assertEquals(types.includes("step.completed"), false);
    return { error, steps: await getTaskSteps(t.db, task.id), types };
  } finally {
    await fixture.close();
    await agent.close();
  }
}

dbTest("[task run] a cancel while a chain's step runs starts nothing after it", async (t) => {
  const { error, steps, types } = await chainInterrupted(
    t,
    (taskId, fixture) => fixture.lifecycle.cancel(taskId),
  );
  assert(error instanceof LeaseLost, String(error));
  assertEquals(steps.map((s) => s.status), ["cancelled", "cancelled", "cancelled"]);
  assertEquals(types.at(-1), "task.cancelled");
});

dbTest("[task run] a lease lost while a chain's step runs starts nothing after it", async (t) => {
  const { error, steps } = await chainInterrupted(
    t,
    (taskId) =>
      t.db.updateTable("tasks").set({ lease_owner: "another process" }).where("id", "=", taskId)
        .execute(),
  );
  assert(error instanceof LeaseLost, String(error));
  assertEquals(steps.map((s) => s.status), ["running", "pending", "pending"]);
});

dbTest("[task run] a step that takes the task over its budget starts no next step", async (t) => {
  const agent = startScriptedAgent({
    name: "Worker",
    capabilities: ["research"],
    usage: { input_tokens: 100, output_tokens: 50, model: "gpt-4o-mini" },
  });
  const fixture = await executorFixture(t, [agent]);
  try {
    const { task } = await fixture.submit(chainOf(3), {
      context: { budget: { max_tokens: 120 }, traceparent: null },
    });
    await runTaskGraph(fixture.deps, { task }, new AbortController().signal);
    const stored = await getTask(t.db, task.id);
    assertEquals(stored?.status, "failed");
    assert(stored?.error?.startsWith("budget exceeded: 150 tokens spent"), stored?.error ?? "");
    assertEquals(agent.calls.get("step 1"), 1);
    assertEquals(agent.calls.get("step 2"), undefined, "step 2 is never sent");
    assertEquals((await getTaskSteps(t.db, task.id)).map((s) => s.status), [
      "completed",
      "skipped",
      "skipped",
    ]);
    const events = await listEvents(t.db, task.id);
    assertEquals(events.filter((e) => e.type.startsWith("step.")).map((e) => e.type), [
      "step.started",
      "step.completed",
      "step.skipped",
      "step.skipped",
    ]);
    const exceeded = events.find((e) => e.type === "budget.exceeded");
    assertEquals(exceeded?.data.step_number, 1, "found over budget after step 1");
    assertEquals(events.at(-1)?.type, "task.failed");
  } finally {
    await fixture.close();
    await agent.close();
  }
});
