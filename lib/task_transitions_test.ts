import { assertEquals, assertThrows } from "./assert.ts";
import { STEP_STATUSES, TASK_STATUSES } from "./task_events.ts";
import {
  CLAIMABLE_TASK_STATUSES,
  IllegalTransition,
  STEP_TRANSITIONS,
  stepTransition,
  TASK_TRANSITIONS,
  taskTransition,
} from "./task_transitions.ts";

Deno.test("[transitions] a legal move gives the next state", () => {
  assertEquals(taskTransition("pending", "start"), "executing");
  assertEquals(taskTransition("executing", "complete"), "completed");
  assertEquals(stepTransition("running", "complete"), "completed");
  assertEquals(stepTransition("running", "start"), "running", "a dead worker's step restarts");
});

Deno.test("[transitions] an illegal move is an error naming it", () => {
  const error = assertThrows(() => taskTransition("completed", "cancel"), IllegalTransition);
  assertEquals(error.message, `a task cannot cancel from "completed"`);
  assertThrows(() => taskTransition("cancelled", "complete"), IllegalTransition);
  assertThrows(() => stepTransition("completed", "start"), IllegalTransition);
  assertThrows(() => stepTransition("pending", "complete"), IllegalTransition);
});

Deno.test("[transitions] a finished task or step moves again only by an explicit retry", () => {
  for (const finished of ["completed", "failed", "cancelled"] as const) {
    for (const name of Object.keys(TASK_TRANSITIONS) as (keyof typeof TASK_TRANSITIONS)[]) {
      if (name === "retry" && finished !== "completed") continue;
      assertThrows(() => taskTransition(finished, name), IllegalTransition);
    }
  }
  for (const finished of ["completed", "failed", "skipped", "cancelled"] as const) {
    for (const name of Object.keys(STEP_TRANSITIONS) as (keyof typeof STEP_TRANSITIONS)[]) {
      if (name === "retry" && finished !== "completed") continue;
      assertThrows(() => stepTransition(finished, name), IllegalTransition);
    }
  }
  // A completed task or step is never run again; a failed or cancelled one is queued.
  assertEquals(taskTransition("failed", "retry"), "pending");
  assertEquals(stepTransition("skipped", "retry"), "pending");
});

Deno.test("[transitions] the table speaks only of known states", () => {
  for (const rule of Object.values(TASK_TRANSITIONS)) {
    for (const s of [...rule.from, rule.to]) assertEquals(TASK_STATUSES.includes(s), true, s);
  }
  for (const rule of Object.values(STEP_TRANSITIONS)) {
    for (const s of [...rule.from, rule.to]) assertEquals(STEP_STATUSES.includes(s), true, s);
  }
  // The claim's condition is also the partial indexes' (migration 0002): keep them equal.
  assertEquals(CLAIMABLE_TASK_STATUSES, ["pending", "planning", "executing"]);
});

Deno.test("[transitions] a task waiting for a person is never claimable", () => {
  for (const waiting of ["awaiting_approval", "input_required", "queued"] as const) {
    assertEquals(CLAIMABLE_TASK_STATUSES.includes(waiting), false, waiting);
  }
  assertEquals(taskTransition("awaiting_approval", "approve"), "pending");
  assertEquals(taskTransition("awaiting_approval", "reject"), "cancelled");
  assertEquals(taskTransition("executing", "wait"), "input_required");
  assertEquals(taskTransition("input_required", "answer"), "pending");
  assertEquals(stepTransition("running", "ask"), "input_required");
  assertEquals(stepTransition("input_required", "answer"), "pending");
  assertThrows(() => taskTransition("pending", "approve"), IllegalTransition);
  assertThrows(() => taskTransition("executing", "answer"), IllegalTransition);
});
