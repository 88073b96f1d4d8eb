/** Tasks and their steps: creation with a plan, leases for durable execution, step progress. */
import {
  type ExpressionBuilder,
  type Kysely,
  type Selectable,
  sql,
  type Transaction,
} from "kysely";
import type { Database, TasksTable, TaskStepsTable } from "../schema.ts";
import type { JsonObject, Task, TaskStatus, TaskStep } from "../types.ts";
import { affected, isoNow } from "../codec.ts";
import { decodeCursor, encodeCursor } from "../cursor.ts";
import { isPostgres, sqlDialect } from "../dialect.ts";
import { stepRows, taskRows } from "../rows.ts";
import { statement } from "../statement.ts";
import { appendEvent } from "./events.ts";
import type { BatchAppends } from "../write_batcher.ts";
import { taskEvent } from "@app/lib/task_events";
import { CLAIMABLE_TASK_STATUSES, sqlStates } from "@app/lib/task_transitions";

type Db = Kysely<Database> | Transaction<Database>;

function toTask(row: Selectable<TasksTable>): Task {
  return taskRows.decode(row);
}

function toStep(row: Selectable<TaskStepsTable>): TaskStep {
  return stepRows.decode(row);
}

// Columns named, never `*` (see events.ts).
const taskSteps = statement<{ task_id: number }, Selectable<TaskStepsTable>>(
  `select "id", "task_id", "step_number", "description", "capability", "agent_id", "agent_name", ` +
    `"dependencies", "status", "input_data", "output_data", "error", "attempts", ` +
    `"started_at", "completed_at", "question", "agent_task_id", "agent_context_id", "answer", ` +
    `"answers" from "task_steps" where "task_id" = :task_id ` +
    `order by "step_number"`,
);

export interface NewStep {
  step_number: number;
  description: string;
  capability: string;
  agent_id?: number | null;
  agent_name?: string | null;
  dependencies?: number[];
  input_data?: JsonObject;
  /** Stored as already running (first attempt, started now): its submitter runs it at once. */
  running?: boolean;
}

export interface NewTask {
  session_id: string;
  user_id: string;
  description: string;
  status?: TaskStatus;
  plan?: JsonObject;
  metadata?: JsonObject;
  steps?: NewStep[];
  /** Who created it, for its `task.created` event. */
  actor?: string;
}

/** Inserts the task, its steps and a `task.created` event in one transaction. */
export async function createTask(
  db: Kysely<Database>,
  input: NewTask,
): Promise<{ task: Task; steps: TaskStep[] }> {
  return await db.transaction().execute((trx) => insertTask(trx, input));
}

/** A lease taken as the task is inserted: its submitter runs it at once, with no claim. */
export interface InitialLease {
  owner: string;
  leaseMs: number;
}

/**
 * `createTask` for a caller that already holds a transaction. With `lease`, the task starts
 * out executing under that lease (its `task.started` event included); with `appends`, its
 * events join the batch's instead of being inserted one by one.
 */
export async function insertTask(
  trx: Transaction<Database>,
  input: NewTask,
  options: { lease?: InitialLease; appends?: BatchAppends; ensureSession?: boolean } = {},
): Promise<{ task: Task; steps: TaskStep[] }> {
  const { lease } = options;
  const now = isoNow();
  const task: Task = {
    id: 0,
    session_id: input.session_id,
    user_id: input.user_id,
    description: input.description,
    status: lease ? "executing" : input.status ?? "pending",
    plan: input.plan ?? {},
    result: {},
    metadata: input.metadata ?? {},
    error: null,
    lease_owner: lease?.owner ?? null,
    lease_expires_at: lease ? isoNow(new Date(Date.now() + lease.leaseMs)) : null,
    attempts: lease ? 1 : 0,
    created_at: now,
    updated_at: now,
    completed_at: null,
  };
  const steps = [...(input.steps ?? [])].sort((a, b) => a.step_number - b.step_number)
    .map((step): TaskStep => ({
      id: 0,
      task_id: 0,
      step_number: step.step_number,
      description: step.description,
      capability: step.capability,
      agent_id: step.agent_id ?? null,
      agent_name: step.agent_name ?? null,
      dependencies: step.dependencies ?? [],
      status: step.running ? "running" : "pending",
      input_data: step.input_data ?? {},
      output_data: {},
      error: null,
      attempts: step.running ? 1 : 0,
      started_at: step.running ? now : null,
      completed_at: null,
      question: null,
      agent_task_id: null,
      agent_context_id: null,
      answer: null,
      answers: 0,
    }));
  await sqlDialect(trx).insertTask(trx, task, steps, options.ensureSession ?? false);
  const events = [taskEvent("task.created", {
    status: lease ? "pending" : task.status,
    plan: task.plan,
    ...(input.actor !== undefined && { actor: input.actor }),
  })];
  if (lease) {
    events.push(taskEvent("task.started", { status: "executing", owner: lease.owner, attempt: 1 }));
  }
  for (const event of events) {
    if (options.appends) options.appends.event(task.id, event);
    else await appendEvent(trx, task.id, event);
  }
  return { task, steps };
}

/** The task; with `owner`, only if that user owns it (an access check in the query itself). */
export async function getTask(db: Db, id: number, owner?: string): Promise<Task | undefined> {
  let query = db.selectFrom("tasks").selectAll().where("id", "=", id);
  if (owner !== undefined) query = query.where("user_id", "=", owner);
  const row = await query.executeTakeFirst();
  return row && toTask(row);
}

export async function getTaskSteps(db: Db, taskId: number): Promise<TaskStep[]> {
  return (await taskSteps.query(db, { task_id: taskId })).map(toStep);
}

export interface TaskPage {
  tasks: Task[];
  nextCursor?: string;
}

/** Tasks newest first, keyset-paginated on id. */
export async function listTasks(
  db: Db,
  filter: {
    session_id?: string;
    status?: TaskStatus;
    limit?: number;
    cursor?: string;
    /** Only this user's tasks. */
    owner?: string;
    /** Only tasks with a step on this agent. */
    agent_id?: number;
    /** Created at or after / before (ISO times). */
    since?: string;
    until?: string;
    /** Words the description contains, any case (a plain substring, no wildcards). */
    q?: string;
  } = {},
): Promise<TaskPage> {
  const limit = filter.limit ?? 50;
  let query = db.selectFrom("tasks").selectAll().orderBy("id", "desc").limit(limit + 1);
  if (filter.owner !== undefined) query = query.where("user_id", "=", filter.owner);
  if (filter.session_id) query = query.where("session_id", "=", filter.session_id);
  if (filter.status) query = query.where("status", "=", filter.status);
  if (filter.agent_id !== undefined) {
    const agentId = filter.agent_id;
    query = query.where((eb) =>
      eb.exists(
        eb.selectFrom("task_steps").select(sql`1`.as("one"))
          .whereRef("task_steps.task_id", "=", "tasks.id")
          .where("task_steps.agent_id", "=", agentId),
      )
    );
  }
  if (filter.since) query = query.where("created_at", ">=", filter.since);
  if (filter.until) query = query.where("created_at", "<", filter.until);
  if (filter.q) {
    const pattern = `%${filter.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where(sql<boolean>`lower(${sql.ref("description")}) like ${pattern} escape '\\'`);
  }
  if (filter.cursor) query = query.where("id", "<", Number(decodeCursor(filter.cursor)[1]));
  const rows = await query.execute();
  const tasks = rows.slice(0, limit).map(toTask);
  const last = tasks.at(-1);
  return {
    tasks,
    nextCursor: rows.length > limit && last ? encodeCursor(["id", last.id]) : undefined,
  };
}

/**
 * Claims up to `limit` of the oldest unfinished tasks whose lease is free or expired, for
 * `owner`, for `leaseMs`, and marks them executing (`attempts` tells a first run, 1, from a
 * takeover). On Postgres the candidate rows are locked with SKIP LOCKED, so concurrent
 * claimers never block each other or take the same task; SQLite has a single writer, so the
 * update is atomic as it is.
 */
export async function claimTasks(
  db: Db,
  owner: string,
  leaseMs: number,
  limit = 1,
  options: { expired?: boolean } = {},
): Promise<Task[]> {
  const now = new Date();
  const nowIso = isoNow(now);
  const claim = {
    // Claiming starts a task: one write instead of a claim and then a status change.
    status: "executing",
    lease_owner: owner,
    lease_expires_at: isoNow(new Date(now.getTime() + leaseMs)),
    attempts: sql<number>`attempts + 1`,
    updated_at: nowIso,
  };
  // Two narrow claims instead of one with an OR: tasks never leased, oldest first, walk the
  // `tasks_unleased` index; tasks whose lease expired walk `tasks_claimable` by expiry. Either
  // way no query sorts the whole backlog, however long it grows.
  // The status list is literal SQL, not parameters: only then can SQLite see that the
  // partial indexes (which carry the same condition) apply.
  const unfinished = sql<boolean>`status in (${sql.raw(sqlStates(CLAIMABLE_TASK_STATUSES))})`;
  const unleased = (eb: ExpressionBuilder<Database, "tasks">) =>
    eb.and([unfinished, eb("lease_expires_at", "is", null)]);
  const expired = (eb: ExpressionBuilder<Database, "tasks">) =>
    eb.and([unfinished, eb("lease_expires_at", "<", nowIso)]);
  const claimWhere = async (
    where: typeof unleased,
    order: "id" | "lease_expires_at",
    count: number,
  ) => {
    const candidates = db.selectFrom("tasks").select("id").where(where).orderBy(order)
      .limit(count);
    return isPostgres(db)
      // A CTE: inside `IN (...)` Postgres may re-run a SKIP LOCKED subquery and claim more
      // rows than the limit.
      ? await db.with("candidates", () => candidates.forUpdate().skipLocked())
        .updateTable("tasks").set(claim).from("candidates")
        .whereRef("tasks.id", "=", "candidates.id").returningAll("tasks").execute()
      : await db.updateTable("tasks").set(claim).where("id", "in", candidates).where(where)
        .returningAll().execute();
  };
  // Looking for expired leases costs a scan of the unfinished tasks (the planner prefers the
  // status index there), so a busy claimer asks for them only now and then.
  const rows = options.expired === false
    ? []
    : await claimWhere(expired, "lease_expires_at", limit);
  if (rows.length < limit) rows.push(...await claimWhere(unleased, "id", limit - rows.length));
  return rows.map(toTask).sort((a, b) => a.id - b.id);
}

/** Claims the oldest claimable task, if any (see `claimTasks`). */
export async function claimTask(
  db: Db,
  owner: string,
  leaseMs: number,
): Promise<Task | undefined> {
  return (await claimTasks(db, owner, leaseMs, 1))[0];
}

/** Extends `owner`'s lease; false when the lease was lost (expired and taken, or released). */
export async function renewLease(
  db: Db,
  taskId: number,
  owner: string,
  leaseMs: number,
): Promise<boolean> {
  const result = await db.updateTable("tasks")
    .set({ lease_expires_at: isoNow(new Date(Date.now() + leaseMs)) })
    .where("id", "=", taskId).where("lease_owner", "=", owner).executeTakeFirst();
  return affected(result) > 0;
}

/** Hands a lease back so another worker may take the task at once (graceful shutdown). */
export async function releaseLease(db: Db, taskId: number, owner: string): Promise<boolean> {
  const result = await db.updateTable("tasks")
    .set({ lease_owner: null, lease_expires_at: null })
    .where("id", "=", taskId).where("lease_owner", "=", owner).executeTakeFirst();
  return affected(result) > 0;
}

export async function countTasksByStatus(db: Db): Promise<Record<string, number>> {
  const rows = await db.selectFrom("tasks")
    .select(["status", (eb) => eb.fn.countAll<number>().as("count")])
    .groupBy("status").execute();
  return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
}

/** Tasks waiting for a worker: pending and leased to nobody (the partial index's rows). */
export async function countQueuedTasks(db: Db): Promise<number> {
  const row = await db.selectFrom("tasks")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where("status", "=", "pending").where("lease_owner", "is", null).executeTakeFirst();
  return Number(row?.count ?? 0);
}
