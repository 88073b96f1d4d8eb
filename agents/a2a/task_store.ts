/**
 * The SDK's in-memory task store, made cheaper and bounded. The SDK copies a task with
 * `structuredClone` on every load and save, and loads and saves on every status update: with a
 * status per graph node that was the largest cost of a message under Deno (whose
 * structuredClone goes through a message port). Tasks are plain data (strings, numbers,
 * arrays, objects, bytes), so a plain deep copy does the same job. The store also keeps at
 * most `maxTasks` per owner, dropping the least recently updated, so a long-running agent's
 * memory stays flat.
 *
 * It reuses the SDK's bucket-per-owner map and its `list` (pinned SDK 1.3.0; the map is not
 * part of its typed API, hence the cast).
 */
import type { Task } from "@a2a-js/sdk";
import { InMemoryTaskStore, type ServerCallContext } from "@a2a-js/sdk/server";

interface Buckets {
  getBucket(context: ServerCallContext): Map<string, Task> | undefined;
  getOrCreateBucket(context: ServerCallContext): Map<string, Task>;
}

export function copyData<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copyData) as T;
  if (value instanceof Uint8Array) return value.slice() as T;
  if (value && typeof value === "object") {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = copyData(item);
    return copy as T;
  }
  return value;
}

export class BoundedTaskStore extends InMemoryTaskStore {
  readonly #maxTasks: number;

  constructor(maxTasks = 10_000) {
    super();
    this.#maxTasks = maxTasks;
  }

  get #buckets(): Buckets {
    return (this as unknown as { _scopedStore: Buckets })._scopedStore;
  }

  override load(taskId: string, context: ServerCallContext): Promise<Task | undefined> {
    const task = this.#buckets.getBucket(context)?.get(taskId);
    return Promise.resolve(task && copyData(task));
  }

  override save(task: Task, context: ServerCallContext): Promise<void> {
    const bucket = this.#buckets.getOrCreateBucket(context);
    bucket.delete(task.id); // re-inserted last: the map's order is least recently updated first
    bucket.set(task.id, copyData(task));
    while (bucket.size > this.#maxTasks) bucket.delete(bucket.keys().next().value!);
    return Promise.resolve();
  }
}
