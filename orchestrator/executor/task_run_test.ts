import { assert, assertEquals } from "@app/lib/assert";
import { dbTest } from "@app/db/testing";
import { getTask, getTaskSteps, transitions } from "@app/db";
import { startScriptedAgent } from "../../tests/helpers/scripted_agent.ts";
import { executorFixture, OWNER } from "../../tests/helpers/executor_fixture.ts";
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
