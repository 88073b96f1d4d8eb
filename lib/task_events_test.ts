import { assert, assertEquals } from "./assert.ts";
import {
  isTerminalEvent,
  TASK_EVENT_TYPES,
  TaskEvent,
  taskEvent,
  TaskEventMessage,
  toEventMessage,
} from "./task_events.ts";

Deno.test("[task events] a made event parses as the stored union and as its SSE message", () => {
  const made = taskEvent("step.completed", {
    step_number: 2,
    agent_id: 7,
    agent_name: "api",
    output: { summary: "ok" },
  });
  const stored = { ...made, id: 3, task_id: 1, created_at: "2026-12-01T00:00:00.000Z" };
  assertEquals(TaskEvent.parse(stored), stored);
  const message = toEventMessage(stored);
  assertEquals(message.type, "step.completed");
  assertEquals(TaskEventMessage.parse(message), message);
});

Deno.test("[task events] data that does not fit its type is refused", () => {
  const wrong = {
    id: 1,
    task_id: 1,
    type: "step.started",
    data: { step_number: "one" },
    created_at: "2026-12-01T00:00:00.000Z",
  };
  assert(!TaskEvent.safeParse(wrong).success);
  assert(!TaskEvent.safeParse({ ...wrong, type: "step.exploded" }).success);
});

Deno.test("[task events] the terminal events are the three ends of a task", () => {
  assertEquals(TASK_EVENT_TYPES.filter(isTerminalEvent), [
    "task.completed",
    "task.failed",
    "task.cancelled",
  ]);
});
