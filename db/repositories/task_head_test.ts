import { assert, assertEquals } from "@app/lib/assert";
import { dbTest } from "../testing.ts";
import { createSession } from "./sessions.ts";
import { createTask, getTask } from "./tasks.ts";
import { getTaskHead } from "./task_head.ts";
import { getTaskContext, insertTaskContext, insertUsage } from "./usage.ts";

async function newTask(db: Parameters<typeof createSession>[0]) {
  const session = await createSession(db, { user_id: "u" });
  const { task } = await createTask(db, {
    session_id: session.session_id,
    user_id: "u",
    description: "d",
    metadata: { k: "v" },
  });
  return task;
}

dbTest(
  "[task head] a task alone: its row as getTask reads it, no context, no usage",
  async ({ db }) => {
    const task = await newTask(db);
    const head = await getTaskHead(db, task.id);
    assert(head);
    assertEquals(head.task, await getTask(db, task.id));
    assertEquals(head.context, { budget: null, traceparent: null });
    assertEquals(head.hasUsage, false);
    assertEquals(await getTaskHead(db, task.id + 1000), undefined);
  },
);

dbTest("[task head] with context and usage; another owner sees nothing", async ({ db }) => {
  const task = await newTask(db);
  const context = {
    budget: { max_tokens: 500 },
    traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
  };
  await insertTaskContext(db, task.id, context);
  await insertUsage(db, task, [{
    step_number: null,
    agent_id: null,
    agent_name: null,
    model: "m",
    input_tokens: 3,
    output_tokens: 4,
    cost_usd: null,
  }]);
  const head = await getTaskHead(db, task.id, "u");
  assert(head);
  assertEquals(head.task, await getTask(db, task.id));
  assertEquals(head.context, await getTaskContext(db, task.id));
  assertEquals(head.context.budget, { max_tokens: 500 });
  assertEquals(head.hasUsage, true);
  assertEquals(await getTaskHead(db, task.id, "someone else"), undefined);
});
