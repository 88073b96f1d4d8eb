/**
 * `deno task bench --outside`: the product as `deno task dev` runs it (the orchestrator, the real
 * A2A agent and the real API agent on one fresh database; no UI), loaded from outside by h2load
 * with single-step tasks, beside the same h2load against a bare Hono "hello" server (the ceiling).
 * The submits are h2load's figures; the tasks are followed in the database until all are
 * terminal, and their rate read from their own timestamps.
 */
import { connect, countTasksByStatus, createPgClient, type Database, type PgClient } from "@app/db";
import type { Kysely } from "kysely";
import { type ServiceProcess, startServiceProcess } from "../service_process.ts";
import { freshDatabase } from "./engines.ts";
import { type H2loadFigures, h2loadVersion, runH2load } from "./h2load.ts";
import { cpuMs, freePort, machineCpuMs, percentile } from "./load.ts";
import type { Row } from "./peers.ts";

/**
 * The deterministic planner makes this one research step, done by the built-in A2A agent. It
 * names a subject: the agent asks back ("input required") when a request names none.
 */
export const SINGLE_STEP_TASK = { description: "Research the Deno runtime", user_id: "bench" };
const START_TIMEOUT_MS = 120_000;
const STALL_TIMEOUT_MS = 60_000;
const TERMINAL = ["completed", "failed", "cancelled"];

export interface OutsideOptions {
  pgUrl?: string;
  databases: string[];
  /** h2load's `-n`: tasks submitted in the measured run. */
  requests: number;
  /** h2load's `-c`: connections, each one request at a time. */
  clients: number;
  /** Tasks submitted (and finished) first, unmeasured. */
  warmup: number;
}

const write = (text: string) => Deno.stderr.writeSync(new TextEncoder().encode(text));

/** The three services `deno task dev` starts (all but the UI), on one database. */
async function startDevServices(databaseUrl: string) {
  const [a2aPort, apiPort, orchestratorPort] = [freePort(), freePort(), freePort()];
  // What a .env for `deno task dev` would hold, with the rate limit off: h2load is one user.
  const env = {
    DATABASE_URL: databaseUrl,
    LLM_PROVIDER: "offline",
    RATE_LIMIT_PER_MINUTE: "0",
    A2A_AGENT_PORT: String(a2aPort),
    A2A_AGENT_URL: `http://127.0.0.1:${a2aPort}`,
    API_AGENT_PORT: String(apiPort),
    API_AGENT_URL: `http://127.0.0.1:${apiPort}`,
    ORCHESTRATOR_PORT: String(orchestratorPort),
    ORCHESTRATOR_URL: `http://127.0.0.1:${orchestratorPort}`,
  };
  const started: ServiceProcess[] = [];
  const start = async (main: string) => {
    const service = await startServiceProcess(main, env, { timeoutMs: START_TIMEOUT_MS });
    started.push(service);
    return service;
  };
  try {
    // As dev.ts does: all at once (each migrates the shared database, one at a time by its lock).
    const [orchestrator, a2a, api] = await Promise.all([
      start("orchestrator/main.ts"),
      start("agents/a2a/main.ts"),
      start("agents/api/main.ts"),
    ]);
    await waitUntilAgentsActive(orchestrator.url, 2);
    return { orchestrator, a2a, api, stop: () => stopAll(started) };
  } catch (error) {
    await stopAll(started);
    throw error;
  }
}

async function stopAll(services: ServiceProcess[]): Promise<void> {
  await Promise.all(services.map((service) => service.kill("SIGTERM")));
}

/** Healthy, and both built-in agents registered and active: the first task finds its agent. */
async function waitUntilAgentsActive(url: string, count: number): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (true) {
    try {
      const health = await fetch(`${url}/health`);
      await health.body?.cancel();
      const agents = await (await fetch(`${url}/api/agents`)).json() as { status: string }[];
      if (health.ok && agents.filter((a) => a.status === "active").length >= count) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url}: the built-in agents never became active`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function terminalCount(db: Kysely<Database>) {
  const counts = await countTasksByStatus(db);
  const all = Object.values(counts).reduce((a, b) => a + b, 0);
  const terminal = TERMINAL.reduce((sum, status) => sum + (counts[status] ?? 0), 0);
  return { all, terminal };
}

/** Waits until `expected` tasks in all are terminal, showing how far they are. */
async function waitUntilTerminal(db: Kysely<Database>, expected: number, label: string) {
  let progressed = performance.now();
  let last = -1;
  while (true) {
    const { terminal } = await terminalCount(db);
    write(`\r${label}: ${terminal}/${expected} tasks terminal   `);
    if (terminal >= expected) break;
    if (terminal !== last) [last, progressed] = [terminal, performance.now()];
    // Tasks waiting for an answer (or stuck) would keep the bench waiting for ever.
    if (performance.now() - progressed > STALL_TIMEOUT_MS) {
      throw new Error(
        `${label}: no task finished for ${STALL_TIMEOUT_MS / 1000} s; tasks by status: ` +
          JSON.stringify(await countTasksByStatus(db)),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  write("\n");
}

/** The warm-up's tasks all completed, one step each: the body is the workload it says it is. */
async function checkSingleStep(db: Kysely<Database>): Promise<void> {
  const counts = await countTasksByStatus(db);
  const steps = await db.selectFrom("task_steps").select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  const tasks = Object.values(counts).reduce((a, b) => a + b, 0);
  if (counts.completed !== tasks || Number(steps.n) !== tasks) {
    throw new Error(
      `the warm-up's ${tasks} tasks (${JSON.stringify(counts)}) have ${steps.n} steps: ` +
        `"${SINGLE_STEP_TASK.description}" is not one completed step any more`,
    );
  }
}

/** CPU ms of each process so far; Postgres backends of the database summed (by pid). */
async function cpuSnapshot(pids: Record<string, number>, backends?: () => Promise<number[]>) {
  const byService = Object.fromEntries(Object.entries(pids).map(([n, pid]) => [n, cpuMs(pid)]));
  const byBackend = new Map((await backends?.() ?? []).map((pid) => [pid, cpuMs(pid)]));
  return { byService, byBackend, machine: machineCpuMs() };
}

type Snapshot = Awaited<ReturnType<typeof cpuSnapshot>>;

function cpuPerTask(before: Snapshot, after: Snapshot, tasks: number): Row {
  const per = (ms: number) => Number((ms / Math.max(1, tasks)).toFixed(2));
  const row: Row = {};
  let all = 0;
  for (const [name, ms] of Object.entries(after.byService)) {
    const used = ms - before.byService[name];
    all += used;
    row[`cpu_ms_per_task_${name}`] = per(used);
  }
  if (after.byBackend.size) {
    let backends = 0;
    // A backend that connected during the run used all its CPU in it.
    for (const [pid, ms] of after.byBackend) {
      if (!Number.isNaN(ms)) backends += ms - (before.byBackend.get(pid) ?? 0);
    }
    all += backends;
    row.cpu_ms_per_task_postgres_backends = per(backends);
  }
  row.cpu_ms_per_task_all = per(all);
  // Near 100 %, the services share too few cores (with each other, h2load, or other work).
  const machine = after.machine.total - before.machine.total;
  row.machine_busy_pct = Math.round(100 * (after.machine.busy - before.machine.busy) / machine);
  return row;
}

/** The measured tasks' rate and latency, from their own timestamps. */
async function taskFigures(db: Kysely<Database>, fromId: number) {
  const tasks = await db.selectFrom("tasks").select(["status", "created_at", "completed_at"])
    .where("id", ">", fromId).execute();
  const done = tasks.filter((t) => t.status === "completed" && t.completed_at);
  const first = Math.min(...tasks.map((t) => Date.parse(t.created_at)));
  const last = Math.max(...done.map((t) => Date.parse(t.completed_at!)));
  const latencies = done.map((t) => Date.parse(t.completed_at!) - Date.parse(t.created_at))
    .sort((a, b) => a - b);
  return {
    tasks: tasks.length,
    tasks_not_completed: tasks.length - done.length,
    tasks_completed_per_s: Math.round(done.length / ((last - first) / 1000)),
    task_p50_ms: Math.round(percentile(latencies, 50)),
    task_p95_ms: Math.round(percentile(latencies, 95)),
  };
}

/** h2load with a progress line that also shows how many tasks the database holds finished. */
async function loadWithProgress(
  url: string,
  options: OutsideOptions,
  requests: number,
  label: string,
  db?: Kysely<Database>,
  terminalBefore = 0,
): Promise<H2loadFigures> {
  let submitted = "0%";
  let finished = "";
  const show = () => write(`\r${label}: h2load ${submitted} done${finished}   `);
  const poll = db && setInterval(async () => {
    const { terminal } = await terminalCount(db).catch(() => ({ terminal: NaN }));
    finished = `, ${terminal - terminalBefore}/${requests} tasks terminal`;
    show();
  }, 500);
  try {
    return await runH2load({
      url,
      body: SINGLE_STEP_TASK,
      clients: options.clients,
      requests,
      onLine: (line) => {
        const progress = /^progress: (\d+%) done/.exec(line);
        if (!progress) return;
        submitted = progress[1];
        show();
      },
    });
  } finally {
    clearInterval(poll);
    write("\n");
  }
}

const submitFigures = (h2: H2loadFigures) => ({
  requests: h2.requests,
  submits_per_s: Math.round(h2.requests_per_s),
  submit_p50_ms: h2.p50_ms,
  submit_p95_ms: h2.p95_ms,
  failed_requests: h2.failed,
});

async function ceiling(options: OutsideOptions): Promise<H2loadFigures> {
  const hello = await startServiceProcess("scripts/bench/hello_server.ts", {}, {
    timeoutMs: START_TIMEOUT_MS,
  });
  try {
    const label = "outside: ceiling, bare Hono hello";
    await loadWithProgress(`${hello.url}/hello`, options, options.warmup, `${label} warm-up`);
    // At least 50,000: the hello server answers 2,000 in a few tens of ms, too short to time.
    const requests = Math.max(options.requests, 50_000);
    return await loadWithProgress(`${hello.url}/hello`, options, requests, label);
  } finally {
    await hello.kill("SIGTERM");
  }
}

async function freshUrl(kind: string, pgUrl: string | undefined, admin: PgClient | undefined) {
  if (kind === "postgres") {
    if (!pgUrl || !admin) throw new Error("postgres needs --pg-url or TEST_DATABASE_URL");
    const db = await freshDatabase({ admin, pgUrl }, "outside");
    return { url: db.url, name: db.name, drop: db.drop };
  }
  if (kind !== "sqlite") throw new Error(`--db: ${kind} is neither sqlite nor postgres`);
  const dir = await Deno.makeTempDir({ prefix: "bench-outside-" });
  return {
    url: `sqlite:${dir}/dev.db`,
    name: undefined,
    drop: () => Deno.remove(dir, { recursive: true }),
  };
}

async function benchDatabase(
  kind: string,
  options: OutsideOptions,
  ceilingFigures: H2loadFigures,
  admin?: PgClient,
): Promise<Row> {
  const database = await freshUrl(kind, options.pgUrl, admin);
  const label = `outside: ${kind}, deno task dev's services`;
  try {
    const services = await startDevServices(database.url);
    const db = connect(database.url);
    try {
      const url = `${services.orchestrator.url}/api/tasks`;
      const warm = await loadWithProgress(url, options, options.warmup, `${label} warm-up`, db);
      await waitUntilTerminal(db, warm.ok, `${label} warm-up`);
      await checkSingleStep(db);
      const last = await db.selectFrom("tasks").select((eb) => eb.fn.max("id").as("id"))
        .executeTakeFirst();
      const fromId = Number(last?.id ?? 0);
      const backends = database.name
        ? async () =>
          (await admin!.query("select pid from pg_stat_activity where datname = $1", [
            database.name,
          ])).rows.map((r: { pid: number }) => r.pid)
        : undefined;
      const pids = {
        orchestrator: services.orchestrator.child.pid,
        a2a_agent: services.a2a.child.pid,
        api_agent: services.api.child.pid,
      };
      const before = await cpuSnapshot(pids, backends);
      const h2 = await loadWithProgress(url, options, options.requests, label, db, warm.ok);
      await waitUntilTerminal(db, warm.ok + h2.ok, label);
      const after = await cpuSnapshot(pids, backends);
      const tasks = await taskFigures(db, fromId);
      return {
        label,
        ...submitFigures(h2),
        ...tasks,
        ceiling_per_s: Math.round(ceilingFigures.requests_per_s),
        ratio_to_ceiling: Number((h2.requests_per_s / ceilingFigures.requests_per_s).toFixed(3)),
        ...cpuPerTask(before, after, tasks.tasks),
      };
    } finally {
      await db.destroy();
      await services.stop();
    }
  } finally {
    await database.drop();
  }
}

/** The rows of the run; undefined, having said why, when h2load is not installed. */
export async function benchOutside(options: OutsideOptions): Promise<Row[] | undefined> {
  const version = await h2loadVersion();
  if (!version) {
    console.error(
      "--outside skipped: h2load is not installed (Debian/Ubuntu: apt-get install nghttp2-client)",
    );
    return undefined;
  }
  console.error(`outside: ${version}, ${options.clients} connections, HTTP/1.1`);
  const admin = options.pgUrl ? createPgClient({ connectionString: options.pgUrl }) : undefined;
  await admin?.connect();
  try {
    const hello = await ceiling(options);
    const rows: Row[] = [{
      label: "outside: ceiling, bare Hono hello",
      requests: hello.requests,
      requests_per_s: Math.round(hello.requests_per_s),
      p50_ms: hello.p50_ms,
      p95_ms: hello.p95_ms,
      failed_requests: hello.failed,
    }];
    console.error(Object.entries(rows[0]).map(([k, v]) => `${k}=${v}`).join("  "));
    for (const kind of options.databases) {
      const row = await benchDatabase(kind, options, hello, admin);
      console.error(Object.entries(row).map(([k, v]) => `${k}=${v}`).join("  "));
      rows.push(row);
    }
    return rows;
  } finally {
    await admin?.end();
  }
}
