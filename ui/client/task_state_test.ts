import { assert, assertEquals } from "@app/lib/assert";
import { applyTaskEvent } from "./task_state.ts";
import { applyHistory, type StepHistory } from "./step_history.ts";
import type { IslandTask, StepView, TaskEventMessage } from "../types.ts";

const at = { task_id: 1, created_at: "2026-01-01T00:00:01.000Z" };
const step = (n: number, status: StepView["status"] = "pending"): StepView => ({
  step_number: n,
  description: `step ${n}`,
  capability: "research",
  agent_id: null,
  agent_name: null,
  dependencies: n > 1 ? [n - 1] : [],
  status,
  attempts: 0,
  input_data: {},
  output_data: {},
  error: null,
  started_at: null,
  completed_at: null,
});
const task = (status: IslandTask["status"], steps: StepView[]): IslandTask => ({
  id: 1,
  task_id: 1,
  session_id: "s",
  user_id: "u",
  description: "d",
  status,
  result: {},
  error: null,
  metadata: {},
  attempts: 0,
  steps,
  created_at: "2026-01-01T00:00:00.000Z",
  updated_at: "2026-01-01T00:00:00.000Z",
  completed_at: null,
});
const apply = (t: IslandTask, ...messages: TaskEventMessage[]) =>
  messages.reduce((state, message) => applyTaskEvent(state, message)!, t);

const run: TaskEventMessage[] = [
  { type: "task.started", status: "executing", owner: "w", attempt: 1, ...at },
  { type: "step.started", step_number: 1, agent_id: 7, agent_name: "A", ...at },
  { type: "step.completed", step_number: 1, agent_id: 7, agent_name: "A", output: { x: 1 }, ...at },
  { type: "task.completed", status: "completed", result: { summary: "done" }, ...at },
];

Deno.test("[ui] task state: events move the task and its steps as the stream says", () => {
  const done = apply(task("pending", [step(1)]), ...run);
  assertEquals(done.status, "completed");
  assertEquals(done.result.summary, "done");
  assertEquals(done.steps[0].status, "completed");
  assertEquals(done.steps[0].output_data, { x: 1 });
  assertEquals(done.steps[0].agent_name, "A");
});

Deno.test("[ui] task state: the replayed history changes nothing on a finished task", () => {
  const finished = apply(task("pending", [step(1)]), ...run);
  const replayed = apply(finished, ...run);
  assertEquals(replayed, finished);
  // An unknown event asks for a re-read.
  const unknown = { type: "plan.proposed", ...at } as unknown as TaskEventMessage;
  assertEquals(applyTaskEvent(finished, unknown), undefined);
});

Deno.test("[ui] task state: a retry queues the failed and skipped steps again", () => {
  const failed = task("failed", [step(1, "completed"), step(2, "failed"), step(3, "skipped")]);
  const retried = apply(failed, {
    type: "task.retried",
    status: "pending",
    steps: [2, 3],
    ...at,
  });
  assertEquals(retried.status, "pending");
  assertEquals(retried.steps.map((s) => s.status), ["completed", "pending", "pending"]);
});

Deno.test("[ui] step history: queued, running, retry with error and delay, done", () => {
  let history: StepHistory = {};
  const messages: TaskEventMessage[] = [
    { type: "task.created", status: "pending", plan: {}, ...at },
    { type: "step.started", step_number: 1, agent_id: 7, agent_name: "A", ...at },
    {
      type: "step.retry",
      step_number: 1,
      agent_id: 7,
      attempt: 1,
      error: "503",
      delay_ms: 9,
      ...at,
    },
    { type: "step.completed", step_number: 1, agent_id: 7, agent_name: "A", output: {}, ...at },
  ];
  for (const message of messages) history = applyHistory(history, message, [1, 2]);
  assertEquals(history[1].map((e) => e.kind), ["queued", "running", "retry", "done"]);
  assertEquals(history[1][2].delay_ms, 9);
  assertEquals(history[2].map((e) => e.kind), ["queued"]);
  assert(history[1][1].agent === "A");
});
