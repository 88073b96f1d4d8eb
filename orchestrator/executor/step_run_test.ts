import { assert, assertEquals } from "@app/lib/assert";
import { dbTest } from "@app/db/testing";
import { getTaskSteps, listEvents } from "@app/db";
import { startScriptedAgent } from "../../tests/helpers/scripted_agent.ts";
import { executorFixture, OWNER } from "../../tests/helpers/executor_fixture.ts";
import { LeaseLost } from "./errors.ts";
import { runStep, StepFailed, stepIdempotencyKey } from "./step_run.ts";

const noCompletion = () => undefined;

async function stepOf(
  fixture: Awaited<ReturnType<typeof executorFixture>>,
  capability = "research",
) {
  const { task, steps } = await fixture.submit([{ step_number: 1, capability }]);
  const context = {
    lease: { taskId: task.id, owner: OWNER },
    task,
    history: [],
    dependencies: {},
    alreadyStarted: false,
    completionWith: noCompletion,
  };
  return { task, step: steps[0], context };
}

dbTest("[step run] a transient failure is retried on the same agent", async (t) => {
  const agent = startScriptedAgent({
    name: "Flaky",
    capabilities: ["research"],
    behave: ({ n }) => n === 1 ? { status: 503 } : undefined,
  });
  const fixture = await executorFixture(t, [agent]);
  try {
    const { task, step, context } = await stepOf(fixture);
    const outcome = await runStep(fixture.deps, context, step, new AbortController().signal);
    assert(String(outcome.output.summary).startsWith("Flaky handled"));
    assertEquals(agent.calls.get("step 1"), 2);
    const events = await listEvents(t.db, task.id);
    assertEquals(events.map((e) => e.type).slice(-3), [
      "step.started",
      "step.retry",
      "step.completed",
    ]);
    const retry = events.find((e) => e.type === "step.retry")!;
    assert(String(retry.data.error).includes("HTTP 503"), JSON.stringify(retry.data));
    assertEquals((await getTaskSteps(t.db, task.id))[0].status, "completed");
    // The retry carries the step's key again: an agent that honours it works once.
    const key = stepIdempotencyKey(task, 1);
    assertEquals(agent.keys, [key, key]);
  } finally {
    await fixture.close();
    await agent.close();
  }
});

dbTest("[step run] a permanent failure falls back to the next able agent", async (t) => {
  const broken = startScriptedAgent({
    name: "Broken",
    capabilities: ["research"],
    behave: () => ({ status: 400 }),
  });
  const spare = startScriptedAgent({ name: "Spare", capabilities: ["research"] });
  const fixture = await executorFixture(t, [broken, spare]);
  try {
    const { task, step, context } = await stepOf(fixture);
    const outcome = await runStep(fixture.deps, context, step, new AbortController().signal);
    assert(String(outcome.output.summary).startsWith("Spare handled"));
    assertEquals(broken.calls.get("step 1"), 1, "a 400 is not retried");
    assertEquals([...broken.keys, ...spare.keys], [
      stepIdempotencyKey(task, 1),
      stepIdempotencyKey(task, 1),
    ], "the fallback carries the step's key too");
    assertEquals((await fixture.eventTypes(task.id)).slice(-3), [
      "step.started",
      "step.fallback",
      "step.completed",
    ]);
  } finally {
    await fixture.close();
    await broken.close();
    await spare.close();
  }
});

dbTest("[step run] a hang times out, is retried, then the step fails", async (t) => {
  const hanging = startScriptedAgent({
    name: "Hanging",
    capabilities: ["research"],
    behave: () => ({ hang: true }),
  });
  const fixture = await executorFixture(t, [hanging]);
  fixture.deps.settings = { stepTimeoutMs: 100, maxRetries: 1, retryBaseMs: 5 };
  try {
    const { task, step, context } = await stepOf(fixture);
    const error = await runStep(fixture.deps, context, step, new AbortController().signal)
      .then(() => undefined, (e) => e);
    assert(error instanceof StepFailed, String(error));
    assertEquals(error.message, "agent Hanging timed out after 100 ms");
    assertEquals(hanging.calls.get("step 1"), 2, "one retry after the first timeout");
    const [stored] = await getTaskSteps(t.db, task.id);
    assertEquals([stored.status, stored.error], ["failed", "agent Hanging timed out after 100 ms"]);
    assertEquals((await fixture.eventTypes(task.id)).at(-1), "step.failed");
  } finally {
    await fixture.close();
    await hanging.close();
  }
});

dbTest("[step run] no agent with the capability fails the step readably", async (t) => {
  const fixture = await executorFixture(t, []);
  try {
    const { step, context } = await stepOf(fixture, "translation");
    const error = await runStep(fixture.deps, context, step, new AbortController().signal)
      .then(() => undefined, (e) => e);
    assert(error instanceof StepFailed);
    assertEquals(error.message, `no registered agent has the capability "translation"`);
  } finally {
    await fixture.close();
  }
});

dbTest("[step run] without the lease nothing is called or written", async (t) => {
  const agent = startScriptedAgent({ name: "Idle", capabilities: ["research"] });
  const fixture = await executorFixture(t, [agent]);
  try {
    const { task, step, context } = await stepOf(fixture);
    const stranger = { ...context, lease: { taskId: task.id, owner: "someone else" } };
    const error = await runStep(fixture.deps, stranger, step, new AbortController().signal)
      .then(() => undefined, (e) => e);
    assert(error instanceof LeaseLost, String(error));
    assertEquals(agent.calls.size, 0);
    assertEquals((await getTaskSteps(t.db, task.id))[0].status, "pending");
  } finally {
    await fixture.close();
    await agent.close();
  }
});
