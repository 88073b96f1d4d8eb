import { assert, assertEquals } from "@app/lib/assert";
import { type Task, TaskState } from "@a2a-js/sdk";
import type { ServerCallContext } from "@a2a-js/sdk/server";
import { BoundedTaskStore, copyData } from "./task_store.ts";

const context = {} as ServerCallContext;

function task(id: string, text = "hi"): Task {
  return {
    id,
    contextId: "c",
    status: { state: TaskState.TASK_STATE_WORKING, message: undefined, timestamp: "t" },
    artifacts: [],
    history: [{
      messageId: "m",
      contextId: "c",
      taskId: id,
      role: 1,
      parts: [{
        content: { $case: "text", value: text },
        metadata: undefined,
        filename: "",
        mediaType: "",
      }],
      metadata: undefined,
      extensions: [],
      referenceTaskIds: [],
    }],
    metadata: { nested: { bytes: new Uint8Array([1, 2]) } },
  } as Task;
}

Deno.test("[a2a] task store: loads are copies, not the stored object", async () => {
  const store = new BoundedTaskStore();
  const original = task("a");
  await store.save(original, context);
  original.history.push(original.history[0]); // the caller changing its object later...
  const loaded = (await store.load("a", context))!;
  assertEquals(loaded.history.length, 1, "...does not change what was stored");
  loaded.artifacts.push({} as never);
  assertEquals((await store.load("a", context))!.artifacts.length, 0);
  assertEquals(copyData(original.metadata), original.metadata);
  assert(copyData(original.metadata)!.nested.bytes !== original.metadata!.nested.bytes);
});

Deno.test("[a2a] task store: keeps at most maxTasks, dropping the least recently updated", async () => {
  const store = new BoundedTaskStore(2);
  await store.save(task("a"), context);
  await store.save(task("b"), context);
  await store.save(task("a", "updated"), context); // a is now the most recent
  await store.save(task("c"), context);
  assertEquals(await store.load("b", context), undefined);
  assert(await store.load("a", context));
  assert(await store.load("c", context));
  const listed = await store.list({ pageSize: 10 } as never, context);
  assertEquals(listed.tasks.map((t) => t.id).sort(), ["a", "c"]);
});
