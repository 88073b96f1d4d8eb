/**
 * The SDK's `DatabaseTaskStore`, its reads and writes batched. The SDK loads and saves the whole
 * task for every event a running task publishes (a dozen for a watched research run): one
 * statement each, they were most of Postgres's work per task. Here the loads and saves that
 * arrive while one batch is in flight go in the next, one `select ... in` and one multi-row
 * upsert, with the rows the SDK's store reads and writes (a test checks each store reads the
 * other's). Each call still settles after its own read or write, so nothing changes for the SDK.
 */
import { type ListTasksRequest, type ListTasksResponse, Task, taskStateToJSON } from "@a2a-js/sdk";
import { resolveUserScope, type ServerCallContext, type TaskStore } from "@a2a-js/sdk/server";
import { DatabaseTaskStore } from "@a2a-js/sdk/server/database";
import type { Kysely } from "kysely";
import type { Database } from "@app/db";
import { Coalescer } from "@app/db";

/** A row of the SDK's task table (its migration `0001_create_tasks`). */
interface TaskRow {
  tenant: string;
  owner: string;
  id: string;
  context_id: string;
  status_last_updated: number;
  status_state: string | null;
  status: string | null;
  artifacts: string | null;
  history: string | null;
  metadata: string | null;
  protocol_version: string | null;
}

type TaskDb = Kysely<Record<string, TaskRow>>;

const KEY = ["tenant", "owner", "id"] as const;
const COLUMNS = [
  ...KEY,
  "context_id",
  "status_last_updated",
  "status_state",
  "status",
  "artifacts",
  "history",
  "metadata",
  "protocol_version",
] as const;
/** The SDK's payload format for the JSON columns. */
const PAYLOAD_FORMAT = "1.0";

export interface Scope {
  tenant: string;
  owner: string;
}

/** The caller's tenant and owner, as the SDK's stores scope rows by default. */
export function scopeOf(context: ServerCallContext): Scope {
  return { tenant: context.tenant ?? "", owner: resolveUserScope(context) };
}

const encode = (value: unknown) => value === undefined ? null : JSON.stringify(value);
const decode = (value: string | null) => value ? JSON.parse(value) : undefined;

/** As the SDK's `toTaskRow`. */
function toRow(scope: Scope, task: Task): TaskRow {
  if (typeof task.id !== "string") throw new Error("task has no id");
  const payload = Task.toJSON(task) as Record<string, unknown>;
  const updated = task.status?.timestamp ? Date.parse(task.status.timestamp) : 0;
  return {
    ...scope,
    id: task.id,
    context_id: task.contextId || "",
    status_last_updated: Number.isNaN(updated) ? 0 : updated,
    status_state: task.status ? taskStateToJSON(task.status.state) : null,
    status: encode(payload.status),
    artifacts: encode(payload.artifacts),
    history: encode(payload.history),
    metadata: encode(payload.metadata),
    protocol_version: PAYLOAD_FORMAT,
  };
}

/** As the SDK's `fromTaskRow`. */
function fromRow(row: TaskRow): Task {
  try {
    return Task.fromJSON({
      id: row.id,
      contextId: row.context_id,
      status: decode(row.status),
      artifacts: decode(row.artifacts),
      history: decode(row.history),
      metadata: decode(row.metadata),
    });
  } catch (cause) {
    throw new Error(`task "${row.id}" is not readable`, { cause });
  }
}

export const scopeKey = (scope: Scope) => JSON.stringify([scope.tenant, scope.owner]);

/** Items grouped by their scope, each group with its members' positions. */
export function byScope<T extends { scope: Scope }>(items: T[]): Map<string, [Scope, T[]]> {
  const groups = new Map<string, [Scope, T[]]>();
  for (const item of items) {
    const key = scopeKey(item.scope);
    const group = groups.get(key) ?? [item.scope, []];
    group[1].push(item);
    groups.set(key, group);
  }
  return groups;
}

export class BatchedTaskStore implements TaskStore {
  readonly #db: TaskDb;
  readonly #table: string;
  /** Listing stays the SDK's own (rare, and paged by its cursor format). */
  readonly #sdk: DatabaseTaskStore<Database>;
  readonly loads: Coalescer<{ scope: Scope; id: string }, TaskRow | undefined>;
  readonly saves: Coalescer<TaskRow, void>;

  constructor(db: Kysely<Database>, tableName: string) {
    this.#db = db as unknown as TaskDb;
    this.#table = tableName;
    this.#sdk = new DatabaseTaskStore(db, { tableName });
    this.loads = new Coalescer((items) => this.#loadRows(items));
    this.saves = new Coalescer((rows) => this.#saveRows(rows));
  }

  async save(task: Task, context: ServerCallContext): Promise<void> {
    await this.saves.call(toRow(scopeOf(context), task));
  }

  async load(taskId: string, context: ServerCallContext): Promise<Task | undefined> {
    const row = await this.loads.call({ scope: scopeOf(context), id: taskId });
    // Each caller gets its own object: the SDK edits what it loads.
    return row ? fromRow(row) : undefined;
  }

  list(params: ListTasksRequest, context: ServerCallContext): Promise<ListTasksResponse> {
    return this.#sdk.list(params, context);
  }

  async #loadRows(items: { scope: Scope; id: string }[]): Promise<(TaskRow | undefined)[]> {
    const found = new Map<string, TaskRow>();
    for (const [key, [scope, members]] of byScope(items)) {
      const rows = await this.#db.selectFrom(this.#table).select(COLUMNS)
        .where("tenant", "=", scope.tenant).where("owner", "=", scope.owner)
        .where("id", "in", [...new Set(members.map((m) => m.id))]).execute();
      for (const row of rows) found.set(`${key}\n${row.id}`, row as TaskRow);
    }
    return items.map((item) => found.get(`${scopeKey(item.scope)}\n${item.id}`));
  }

  async #saveRows(rows: TaskRow[]): Promise<void[]> {
    // A row once per statement (an upsert may not touch one twice): the later save of a task
    // wins, as it would have one after the other.
    const latest = new Map(rows.map((row) => [`${scopeKey(row)}\n${row.id}`, row]));
    await this.#db.insertInto(this.#table).values([...latest.values()])
      .onConflict((oc) =>
        oc.columns(KEY).doUpdateSet((eb) => ({
          context_id: eb.ref("excluded.context_id"),
          status_last_updated: eb.ref("excluded.status_last_updated"),
          status_state: eb.ref("excluded.status_state"),
          status: eb.ref("excluded.status"),
          artifacts: eb.ref("excluded.artifacts"),
          history: eb.ref("excluded.history"),
          metadata: eb.ref("excluded.metadata"),
          protocol_version: eb.ref("excluded.protocol_version"),
        }))
      ).execute();
    return rows.map(() => undefined);
  }
}
