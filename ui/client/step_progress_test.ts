import { assertEquals } from "@app/lib/assert";
import { applyProgress, type StepProgress } from "./step_progress.ts";
import type { TaskEventMessage } from "../types.ts";

const at = { task_id: 1, created_at: "2026-01-01T00:00:00.000Z" };
const progress = (step: number, status: string | null, text: string): TaskEventMessage => ({
  type: "step.progress",
  step_number: step,
  agent_id: 1,
  status,
  text,
  ...at,
});

Deno.test("[ui] step progress: text accumulates per step, the latest status wins", () => {
  let state: StepProgress = {};
  state = applyProgress(state, progress(1, "plan started", ""));
  state = applyProgress(state, progress(1, null, "Hello"));
  state = applyProgress(state, progress(2, "gather started", "x"));
  state = applyProgress(state, progress(1, "gather started", ", world"));
  assertEquals(state, {
    1: { status: "gather started", text: "Hello, world" },
    2: { status: "gather started", text: "x" },
  });
});

Deno.test("[ui] step progress: a step that ends or starts again drops its partial output", () => {
  let state: StepProgress = { 1: { status: "s", text: "t" }, 2: { status: "s", text: "u" } };
  state = applyProgress(state, {
    type: "step.completed",
    step_number: 1,
    agent_id: 1,
    agent_name: "A",
    output: {},
    ...at,
  });
  assertEquals(Object.keys(state), ["2"]);
  state = applyProgress(state, {
    type: "step.started",
    step_number: 2,
    agent_id: 1,
    agent_name: "A",
    ...at,
  });
  assertEquals(state, {});
  const same = applyProgress(state, { type: "task.cancelled", status: "cancelled", ...at });
  assertEquals(same, state);
});
