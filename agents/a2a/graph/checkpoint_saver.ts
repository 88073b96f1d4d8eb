/**
 * LangGraph's checkpointer on the project's database (SQLite or Postgres, through Kysely): the
 * graph's state at each checkpoint and the writes pending on it, in the tables of migration
 * `2026_12_01_1511_langgraph_checkpoints`. A graph interrupted to ask the user is resumed from
 * here by any process of the agent, after a restart too.
 */
import type { RunnableConfig } from "@langchain/core/runnables";
import {
  BaseCheckpointSaver,
  type ChannelVersions,
  type Checkpoint,
  type CheckpointListOptions,
  type CheckpointMetadata,
  type CheckpointPendingWrite,
  type CheckpointTuple,
  compareWritesSortKeys,
  copyCheckpoint,
  getCheckpointId,
  maxChannelVersion,
  type PendingWrite,
  type SerializerProtocol,
  TASKS,
  WRITES_IDX_MAP,
  writesSortKey,
} from "@langchain/langgraph-checkpoint";
import type { Kysely, Selectable } from "kysely";
import { type Database, isoNow } from "@app/db";

type Db = Kysely<Database>;
type CheckpointRow = Selectable<Database["langgraph_checkpoints"]>;
type WriteRow = Selectable<Database["langgraph_checkpoint_writes"]>;

/** The thread's id from a run's config; savers refuse to store without one. */
function threadIdOf(config: RunnableConfig, what: string): string {
  const id = config.configurable?.thread_id;
  if (typeof id !== "string" || !id) {
    throw new Error(`${what}: the config has no "thread_id" in "configurable"`);
  }
  return id;
}

export class KyselyCheckpointSaver extends BaseCheckpointSaver {
  readonly #db: Db;

  constructor(db: Db, serde?: SerializerProtocol) {
    super(serde);
    this.#db = db;
  }

  async getTuple(config: RunnableConfig): Promise<CheckpointTuple | undefined> {
    const threadId = config.configurable?.thread_id;
    if (typeof threadId !== "string") return undefined;
    const ns: string = config.configurable?.checkpoint_ns ?? "";
    const checkpointId = getCheckpointId(config);
    let query = this.#db.selectFrom("langgraph_checkpoints").selectAll()
      .where("thread_id", "=", threadId).where("checkpoint_ns", "=", ns);
    query = checkpointId
      ? query.where("checkpoint_id", "=", checkpointId)
      : query.orderBy("checkpoint_id", "desc").limit(1);
    const row = await query.executeTakeFirst();
    // Asked for a given checkpoint, the tuple carries the caller's config, as LangGraph's
    // savers do; asked for the latest, the config names the one found.
    return row ? await this.#tuple(row, checkpointId ? config : undefined) : undefined;
  }

  async *list(
    config: RunnableConfig,
    options: CheckpointListOptions = {},
  ): AsyncGenerator<CheckpointTuple> {
    const { limit, before, filter } = options;
    const threadId = config.configurable?.thread_id;
    const ns = config.configurable?.checkpoint_ns;
    const checkpointId = getCheckpointId(config);
    const beforeId = before?.configurable?.checkpoint_id;
    const wanted = Object.entries(filter ?? {}).filter(([, value]) => value !== undefined);
    let query = this.#db.selectFrom("langgraph_checkpoints").selectAll();
    if (threadId !== undefined) query = query.where("thread_id", "=", threadId);
    if (ns !== undefined && ns !== null) query = query.where("checkpoint_ns", "=", ns);
    if (checkpointId) query = query.where("checkpoint_id", "=", checkpointId);
    if (beforeId !== undefined) query = query.where("checkpoint_id", "<", beforeId);
    query = query.orderBy("checkpoint_id", "desc");
    // A metadata filter is applied here, on the parsed metadata, so the limit counts matches.
    if (limit !== undefined && !wanted.length) query = query.limit(Math.max(0, Math.trunc(limit)));
    let left = limit ?? Infinity;
    for (const row of await query.execute()) {
      if (left <= 0) return;
      const tuple = await this.#tuple(row);
      const metadata = tuple.metadata as Record<string, unknown> | undefined;
      if (!wanted.every(([key, value]) => sameJson(metadata?.[key], value))) continue;
      left--;
      yield tuple;
    }
  }

  async put(
    config: RunnableConfig,
    checkpoint: Checkpoint,
    metadata: CheckpointMetadata,
    _newVersions: ChannelVersions,
  ): Promise<RunnableConfig> {
    const threadId = threadIdOf(config, "put");
    const ns: string = config.configurable?.checkpoint_ns ?? "";
    const [[type, body], [metadataType, metadataBody]] = await Promise.all([
      this.serde.dumpsTyped(copyCheckpoint(checkpoint)),
      this.serde.dumpsTyped(metadata),
    ]);
    if (type !== metadataType) {
      throw new Error(`put: checkpoint (${type}) and metadata (${metadataType}) differ in type`);
    }
    await this.#db.insertInto("langgraph_checkpoints").values({
      thread_id: threadId,
      checkpoint_ns: ns,
      checkpoint_id: checkpoint.id,
      parent_checkpoint_id: config.configurable?.checkpoint_id ?? null,
      type,
      checkpoint: body,
      metadata: metadataBody,
      created_at: isoNow(),
    }).onConflict((oc) =>
      oc.columns(["thread_id", "checkpoint_ns", "checkpoint_id"]).doUpdateSet({
        type,
        checkpoint: body,
        metadata: metadataBody,
      })
    ).execute();
    return {
      configurable: { thread_id: threadId, checkpoint_ns: ns, checkpoint_id: checkpoint.id },
    };
  }

  async putWrites(
    config: RunnableConfig,
    writes: PendingWrite[],
    taskId: string,
    taskPath = "",
  ): Promise<void> {
    const threadId = threadIdOf(config, "putWrites");
    const checkpointId = config.configurable?.checkpoint_id;
    if (typeof checkpointId !== "string" || !checkpointId) {
      throw new Error('putWrites: the config has no "checkpoint_id" in "configurable"');
    }
    const ns: string = config.configurable?.checkpoint_ns ?? "";
    const rows = await Promise.all(writes.map(async ([channel, value], i) => {
      const [type, body] = await this.serde.dumpsTyped(value);
      return {
        thread_id: threadId,
        checkpoint_ns: ns,
        checkpoint_id: checkpointId,
        task_id: taskId,
        // Errors, interrupts and resumes have fixed negative slots: the latest one wins.
        idx: WRITES_IDX_MAP[channel] ?? i,
        channel,
        type,
        value: body,
        task_path: taskPath,
      };
    }));
    if (!rows.length) return;
    const special = rows.filter((r) => r.idx < 0);
    const regular = rows.filter((r) => r.idx >= 0);
    const key = ["thread_id", "checkpoint_ns", "checkpoint_id", "task_id", "idx"] as const;
    await this.#db.transaction().execute(async (tx) => {
      // A task's regular writes are stored once: a retried task does not replace them.
      if (regular.length) {
        await tx.insertInto("langgraph_checkpoint_writes").values(regular)
          .onConflict((oc) => oc.columns(key).doNothing()).execute();
      }
      if (special.length) {
        await tx.insertInto("langgraph_checkpoint_writes").values(special)
          .onConflict((oc) =>
            oc.columns(key).doUpdateSet((eb) => ({
              channel: eb.ref("excluded.channel"),
              type: eb.ref("excluded.type"),
              value: eb.ref("excluded.value"),
              task_path: eb.ref("excluded.task_path"),
            }))
          ).execute();
      }
    });
  }

  async deleteThread(threadId: string): Promise<void> {
    await this.#db.transaction().execute(async (tx) => {
      await tx.deleteFrom("langgraph_checkpoint_writes").where("thread_id", "=", threadId)
        .execute();
      await tx.deleteFrom("langgraph_checkpoints").where("thread_id", "=", threadId).execute();
    });
  }

  /** Removes the threads whose newest checkpoint is older than `date`; returns how many. */
  async purgeThreadsBefore(date: Date): Promise<number> {
    const stale = await this.#db.selectFrom("langgraph_checkpoints").select("thread_id")
      .groupBy("thread_id").having((eb) => eb.fn.max("created_at"), "<", isoNow(date))
      .execute();
    for (const { thread_id } of stale) await this.deleteThread(thread_id);
    return stale.length;
  }

  async #tuple(row: CheckpointRow, asked?: RunnableConfig): Promise<CheckpointTuple> {
    const { thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id } = row;
    const checkpoint = await this.serde.loadsTyped(row.type, row.checkpoint) as Checkpoint;
    if (checkpoint.v < 4 && parent_checkpoint_id) {
      await this.#migratePendingSends(checkpoint, row);
    }
    const tuple: CheckpointTuple = {
      config: asked ?? { configurable: { thread_id, checkpoint_ns, checkpoint_id } },
      checkpoint,
      metadata: await this.serde.loadsTyped(row.type, row.metadata) as CheckpointMetadata,
      pendingWrites: await this.#pendingWrites(thread_id, checkpoint_ns, checkpoint_id),
    };
    if (parent_checkpoint_id) {
      tuple.parentConfig = {
        configurable: { thread_id, checkpoint_ns, checkpoint_id: parent_checkpoint_id },
      };
    }
    return tuple;
  }

  /** A checkpoint's writes, in the order LangGraph applies them (`writesSortKey`). */
  async #writes(threadId: string, ns: string, checkpointId: string): Promise<WriteRow[]> {
    const rows = await this.#db.selectFrom("langgraph_checkpoint_writes").selectAll()
      .where("thread_id", "=", threadId).where("checkpoint_ns", "=", ns)
      .where("checkpoint_id", "=", checkpointId).execute();
    // Sorted here, by code point: a Postgres collation may order text otherwise.
    return rows.sort((a, b) =>
      compareWritesSortKeys(
        writesSortKey(a.task_path, a.task_id, a.idx),
        writesSortKey(b.task_path, b.task_id, b.idx),
      )
    );
  }

  async #pendingWrites(
    threadId: string,
    ns: string,
    checkpointId: string,
  ): Promise<CheckpointPendingWrite[]> {
    const rows = await this.#writes(threadId, ns, checkpointId);
    return await Promise.all(
      rows.map(async (w): Promise<CheckpointPendingWrite> => [
        w.task_id,
        w.channel,
        await this.serde.loadsTyped(w.type, w.value),
      ]),
    );
  }

  /** Checkpoints before format 4 kept pending sends as their parent's writes to TASKS. */
  async #migratePendingSends(checkpoint: Checkpoint, row: CheckpointRow): Promise<void> {
    const sends = (await this.#writes(row.thread_id, row.checkpoint_ns, row.parent_checkpoint_id!))
      .filter((w) => w.channel === TASKS);
    checkpoint.channel_values ??= {};
    checkpoint.channel_values[TASKS] = await Promise.all(
      sends.map((w) => this.serde.loadsTyped(w.type, w.value)),
    );
    checkpoint.channel_versions ??= {};
    checkpoint.channel_versions[TASKS] = Object.keys(checkpoint.channel_versions).length
      ? maxChannelVersion(...Object.values(checkpoint.channel_versions))
      : this.getNextVersion(undefined);
  }
}

/** Whether two JSON values are equal (metadata filters compare parsed values). */
function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
