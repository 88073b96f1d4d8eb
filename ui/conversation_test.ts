/** How a session's messages and tasks become the conversation the page shows. */
import { assertEquals } from "@app/lib/assert";
import { conversationItems } from "./conversation.ts";
import type { Message, TaskView } from "./types.ts";

const message = (id: number, role: Message["role"], task_id: number | null): Message => ({
  id,
  session_id: "sess_1",
  role,
  content: `${role} ${id}`,
  task_id,
  metadata: {},
  created_at: "2025-01-01T00:00:00.000Z",
});
const task = (id: number) => ({ id, status: "completed", steps: [] }) as unknown as TaskView;

Deno.test("[ui] each request is followed by its task card; the repeated answer is left out", () => {
  const items = conversationItems(
    [
      message(1, "user", 1),
      message(2, "assistant", 1),
      message(3, "system", null),
      message(4, "user", 2),
    ],
    [task(2), task(1)],
  );
  assertEquals(
    items.map((item) => item.kind === "task" ? `task ${item.task.id}` : item.message.content),
    ["user 1", "task 1", "system 3", "user 4", "task 2"],
  );
});

Deno.test("[ui] a task whose request is not among the messages still gets its card", () => {
  const items = conversationItems([message(5, "assistant", 9)], [task(9)]);
  assertEquals(
    items.map((item) => item.kind === "task" ? `task ${item.task.id}` : item.message.content),
    ["assistant 5", "task 9"],
  );
});
