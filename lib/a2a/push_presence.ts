/**
 * Push notification configs, looked for in batches. The SDK's sender loads a task's configs for
 * every event the task publishes, and almost no task has any: here the lookups that arrive while
 * one is in flight become one `select distinct task_id ... in`, and only a task that has configs
 * has them loaded by the store itself.
 */
import type { TaskPushNotificationConfig } from "@a2a-js/sdk";
import type {
  PushNotificationStore,
  ServerCallContext,
  StoredPushNotificationConfig,
} from "@a2a-js/sdk/server";
import type { Kysely } from "kysely";
import type { Database } from "@app/db";
import { byScope, type Scope, scopeKey, scopeOf } from "./batched_task_store.ts";
import { Coalescer } from "@app/db";

/** A store that keeps the wire version each config was registered over (the SDK's do). */
export type FullPushStore =
  & PushNotificationStore
  & Required<
    Pick<PushNotificationStore, "loadWithMetadata">
  >;

type ConfigDb = Kysely<Record<string, { tenant: string; owner: string; task_id: string }>>;

export class PushPresenceStore implements PushNotificationStore {
  readonly #inner: FullPushStore;
  readonly #db: ConfigDb;
  readonly #table: string;
  readonly lookups: Coalescer<{ scope: Scope; taskId: string }, boolean>;

  constructor(inner: FullPushStore, db: Kysely<Database>, tableName: string) {
    this.#inner = inner;
    this.#db = db as unknown as ConfigDb;
    this.#table = tableName;
    this.lookups = new Coalescer((items) => this.#present(items));
  }

  save(taskId: string, context: ServerCallContext, config: TaskPushNotificationConfig) {
    return this.#inner.save(taskId, context, config);
  }

  async load(taskId: string, context: ServerCallContext): Promise<TaskPushNotificationConfig[]> {
    return (await this.loadWithMetadata(taskId, context)).map((stored) => stored.config);
  }

  async loadWithMetadata(
    taskId: string,
    context: ServerCallContext,
  ): Promise<StoredPushNotificationConfig[]> {
    if (!await this.lookups.call({ scope: scopeOf(context), taskId })) return [];
    return await this.#inner.loadWithMetadata(taskId, context);
  }

  delete(taskId: string, context: ServerCallContext, configId?: string): Promise<void> {
    return this.#inner.delete(taskId, context, configId);
  }

  async #present(items: { scope: Scope; taskId: string }[]): Promise<boolean[]> {
    const present = new Set<string>();
    for (const [key, [scope, members]] of byScope(items)) {
      const rows = await this.#db.selectFrom(this.#table).select("task_id").distinct()
        .where("tenant", "=", scope.tenant).where("owner", "=", scope.owner)
        .where("task_id", "in", [...new Set(members.map((m) => m.taskId))]).execute();
      for (const row of rows) present.add(`${key}\n${row.task_id}`);
    }
    return items.map((item) => present.has(`${scopeKey(item.scope)}\n${item.taskId}`));
  }
}
