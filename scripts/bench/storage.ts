/**
 * `deno task bench --storage`: what a task costs to keep, and whether reading stays fast as
 * tasks pile up. Runs real tasks through a real orchestrator (bytes per task with its whole
 * event log, then after retention's compaction), then fills the database to 10k and 100k stored
 * tasks (1M with --million) by copying those real tasks' rows, and at each size times list and
 * get requests at the client, one at a time.
 */
import type { Kysely } from "kysely";
import { sql } from "kysely";
import {
  compactFinishedTaskEvents,
  connect,
  createPgClient,
  type Database,
  isPostgres,
} from "@app/db";
import { startServiceProcess } from "../service_process.ts";
import { percentile, runPool } from "./load.ts";
import { freshDatabase, startOrchestratorService } from "./engines.ts";
import type { Row } from "./peers.ts";

export interface StorageOptions {
  pgUrl?: string;
  databases: string[];
  sizes: number[];
  /** Real tasks run first (half of one step, half of three chained). */
  realTasks: number;
  /** Requests timed per kind and size. */
  samples: number;
}

/** Bytes in use: SQLite's pages less its free list; Postgres's database size. */
async function storedBytes(db: Kysely<Database>): Promise<number> {
  if (isPostgres(db)) {
    const { rows } = await sql<{ bytes: string }>`
      select pg_database_size(current_database()) as bytes`.execute(db);
    return Number(rows[0].bytes);
  }
  const pragma = async (name: string) =>
    Number(Object.values((await sql.raw(`pragma ${name}`).execute(db)).rows[0] as object)[0]);
  return (await pragma("page_count") - await pragma("freelist_count")) * await pragma("page_size");
}

/** Postgres keeps deleted rows' space until a vacuum rewrites the table. */
async function reclaim(db: Kysely<Database>): Promise<void> {
  if (isPostgres(db)) await sql`vacuum full task_events`.execute(db);
}

type Raw = Record<string, unknown>;
const withoutId = ({ id: _, ...rest }: Raw) => rest;

function groupBy(rows: Raw[], key: string): Map<unknown, Raw[]> {
  const groups = new Map<unknown, Raw[]>();
  for (const row of rows) groups.set(row[key], [...groups.get(row[key]) ?? [], row]);
  return groups;
}

/**
 * Copies the template tasks (with their sessions, steps, events and messages) until `target`
 * tasks are stored: each copy a new session and task, as the real ones were made.
 */
async function fillTo(db: Kysely<Database>, templateIds: number[], target: number) {
  const tasks = await db.selectFrom("tasks").selectAll().where("id", "in", templateIds)
    .execute() as Raw[];
  const sessionIds = tasks.map((t) => t.session_id as string);
  const sessions = groupBy(
    await db.selectFrom("sessions").selectAll().where("session_id", "in", sessionIds).execute(),
    "session_id",
  );
  const messages = groupBy(
    await db.selectFrom("messages").selectAll().where("session_id", "in", sessionIds).execute(),
    "session_id",
  );
  const steps = groupBy(
    await db.selectFrom("task_steps").selectAll().where("task_id", "in", templateIds).execute(),
    "task_id",
  );
  const events = groupBy(
    await db.selectFrom("task_events").selectAll().where("task_id", "in", templateIds).execute(),
    "task_id",
  );
  let stored = Number(
    (await db.selectFrom("tasks").select((e) => e.fn.countAll().as("n")).executeTakeFirst())!.n,
  );
  const BATCH = 100;
  while (stored < target) {
    const picks = Array.from(
      { length: Math.min(BATCH, target - stored) },
      (_, i) => tasks[(stored + i) % tasks.length],
    );
    await db.transaction().execute(async (trx) => {
      const newSession = picks.map(() => `bench-${crypto.randomUUID()}`);
      await trx.insertInto("sessions").values(picks.map((task, i) => ({
        ...withoutId(sessions.get(task.session_id)![0]),
        session_id: newSession[i],
      })) as never).execute();
      const ids = await trx.insertInto("tasks").values(
        picks.map((task, i) => ({ ...withoutId(task), session_id: newSession[i] })) as never,
      ).returning("id").execute();
      /** The rows of each picked task, moved to its copy's session and id. */
      const copies = (groups: Map<unknown, Raw[]>, key: "task_id" | "session_id") =>
        picks.flatMap((task, i) =>
          (groups.get(task[key === "task_id" ? "id" : "session_id"]) ?? []).map((row) => ({
            ...withoutId(row),
            ...("session_id" in row ? { session_id: newSession[i] } : {}),
            ...(row.task_id != null ? { task_id: ids[i].id } : {}),
          }))
        );
      for (
        const [table, rows] of [
          ["task_steps", copies(steps, "task_id")],
          ["task_events", copies(events, "task_id")],
          ["messages", copies(messages, "session_id")],
        ] as const
      ) {
        if (rows.length) await trx.insertInto(table).values(rows as never).execute();
      }
    });
    stored += picks.length;
    if (stored % 10_000 < BATCH) {
      Deno.stderr.writeSync(new TextEncoder().encode(`\rfilling: ${stored}/${target}   `));
    }
  }
  Deno.stderr.writeSync(new TextEncoder().encode("\n"));
}

/** p50/p95 ms of `samples` requests, one at a time, each checked. */
async function timeRequests(samples: number, request: (i: number) => Promise<void>) {
  const latencies: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t0 = performance.now();
    await request(i);
    latencies.push(performance.now() - t0);
  }
  latencies.sort((a, b) => a - b);
  return {
    p50: Number(percentile(latencies, 50).toFixed(2)),
    p95: Number(percentile(latencies, 95).toFixed(2)),
  };
}

async function getJson(url: string): Promise<unknown> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return await response.json();
}

async function benchOne(kind: string, options: StorageOptions): Promise<Row[]> {
  let url: string;
  let drop: () => Promise<void>;
  let admin: ReturnType<typeof createPgClient> | undefined;
  if (kind === "postgres") {
    if (!options.pgUrl) throw new Error("postgres needs --pg-url or TEST_DATABASE_URL");
    admin = createPgClient({ connectionString: options.pgUrl });
    await admin.connect();
    const fresh = await freshDatabase({ admin, pgUrl: options.pgUrl }, "storage");
    url = fresh.url;
    drop = fresh.drop;
  } else {
    const dir = await Deno.makeTempDir({ prefix: "bench-storage-" });
    url = `sqlite:${dir}/storage.db`;
    drop = () => Deno.remove(dir, { recursive: true });
  }
  const agent = await startServiceProcess("scripts/bench/instant_agent.ts", {}, {
    timeoutMs: 120_000,
  });
  const orch = await startOrchestratorService(url, agent.url);
  const db = connect(url);
  const rows: Row[] = [];
  try {
    const before = await storedBytes(db);
    const ids: number[] = [];
    await runPool(options.realTasks, 16, async (i) => {
      const response = await fetch(`${orch.url}/api/tasks`, {
        method: "POST",
        headers: { "content-type": "application/json", Prefer: "wait=60" },
        body: JSON.stringify({
          description: i % 2
            ? `Research topic ${i}. Then analyze it. Then summarize it.`
            : `Research topic ${i}.`,
          user_id: "bench",
        }),
      });
      const task = await response.json();
      if (response.status !== 201 || task.status !== "completed") {
        throw new Error(`task ${task.task_id}: ${response.status} ${task.status}`);
      }
      ids.push(task.task_id);
    }, `${kind} real tasks`);
    const full = await storedBytes(db);
    // Retention with every task old enough: each log down to its terminal event.
    for (let afterId = 0, more = true; more;) {
      const page = await compactFinishedTaskEvents(db, {
        afterId,
        cutoff: new Date(Date.now() + 60_000).toISOString(),
        limit: 500,
      });
      afterId = page.watermark;
      more = page.more;
    }
    await reclaim(db);
    const compacted = await storedBytes(db);
    rows.push({
      label: `${kind}: bytes stored per task (${ids.length} real tasks, half 1 step, half 3)`,
      whole_log: Math.round((full - before) / ids.length),
      after_compaction: Math.round((compacted - before) / ids.length),
    });

    for (const size of options.sizes) {
      await fillTo(db, ids, size);
      // The planner's statistics are what a long-running database would have.
      if (isPostgres(db)) await sql`analyze`.execute(db);
      const maxId = Number(
        (await db.selectFrom("tasks").select((e) => e.fn.max("id").as("m")).executeTakeFirst())!.m,
      );
      const list = await timeRequests(options.samples, async () => {
        const page = await getJson(`${orch.url}/api/tasks?limit=50`) as unknown[];
        if (page.length !== 50) throw new Error(`a page of ${page.length}`);
      });
      const listCompleted = await timeRequests(options.samples, async () => {
        const page = await getJson(`${orch.url}/api/tasks?status=completed&limit=50`) as unknown[];
        if (page.length !== 50) throw new Error(`a page of ${page.length}`);
      });
      const get = await timeRequests(options.samples, async () => {
        const id = 1 + Math.floor(Math.random() * maxId);
        const task = await getJson(`${orch.url}/api/tasks/${id}`) as { id: number };
        if (task.id !== id) throw new Error(`asked ${id}, got ${task.id}`);
      });
      const row: Row = {
        label: `${kind}: ${size} stored tasks`,
        list_p50_ms: list.p50,
        list_p95_ms: list.p95,
        list_completed_p50_ms: listCompleted.p50,
        get_p50_ms: get.p50,
        get_p95_ms: get.p95,
        mb_stored: Number(((await storedBytes(db)) / 2 ** 20).toFixed(1)),
      };
      console.error(Object.entries(row).map(([k, v]) => `${k}=${v}`).join("  "));
      rows.push(row);
    }
  } finally {
    await db.destroy();
    await orch.kill("SIGTERM");
    await agent.kill("SIGTERM");
    await drop();
    await admin?.end();
  }
  return rows;
}

export async function benchStorage(options: StorageOptions): Promise<Row[]> {
  const rows: Row[] = [];
  for (const kind of options.databases) rows.push(...await benchOne(kind, options));
  return rows;
}
