/**
 * `deno task bench`: orchestration throughput and overhead against the machine's ceiling.
 * Starts an orchestrator and an instant agent as real processes, submits tasks over HTTP at a
 * given concurrency, and reads latencies from the tasks' own timestamps. Prints a table and
 * writes the figures to bench-results/.
 *
 *   deno task bench [--tasks 2000] [--concurrency 32] [--soak 100000] [--db sqlite,postgres|none]
 *                   [--pg-url postgres://postgres@127.0.0.1:5432/test] [--a2a off]
 *                   [--profile DIR]   (the orchestrator writes a V8 CPU profile into DIR)
 *
 *   deno task bench --peers [--duration 20] [--warmup 3] [--probe 200] [--peer-concurrency 64]
 *                   [--engines restate,dbos,pg-boss,sqlite-normal,sqlite-full,postgres]
 *                   [--follow wait|sse]   (this product beside Restate, DBOS and pg-boss: peers.ts)
 *
 *   deno task bench --storage [--db sqlite,postgres] [--sizes 10000,100000] [--million]
 *                   [--real-tasks 1000] [--samples 200]   (bytes per task, list/get latency)
 *
 *   deno task bench --outside [--tasks 2000] [--concurrency 32] [--db sqlite,postgres]
 *                   (deno task dev's services with the real agents, loaded by h2load: outside.ts)
 *
 *   deno task bench --processes 1,2 [--db sqlite,postgres] [--duration 20] [--warmup 3]
 *                   (the rate against the number of orchestrator processes on one port)
 */
import { parseArgs } from "node:util";
import { connect, countTasksByStatus, createPgClient, type Database } from "@app/db";
import type { Kysely } from "kysely";
import { startServiceProcess } from "./service_process.ts";
import { cpuMs, cpuMsOfAll, freePort, percentile, runPool, slope } from "./bench/load.ts";
import { type Memory, memoryOf } from "./bench/memory.ts";
import { a2aThroughput } from "./bench/a2a_throughput.ts";
import { benchPeers } from "./bench/peers.ts";
import { benchStorage } from "./bench/storage.ts";
import { benchProcesses } from "./bench/processes.ts";
import { benchOutside } from "./bench/outside.ts";

const { values: args } = parseArgs({
  args: Deno.args,
  options: {
    tasks: { type: "string", default: "2000" },
    concurrency: { type: "string", default: "32" },
    soak: { type: "string", default: "100000" },
    db: { type: "string" },
    "pg-url": { type: "string" },
    workers: { type: "string", default: "128" },
    a2a: { type: "string", default: "on" },
    profile: { type: "string" },
    peers: { type: "boolean", default: false },
    duration: { type: "string", default: "20" },
    warmup: { type: "string", default: "3" },
    probe: { type: "string", default: "200" },
    "peer-concurrency": { type: "string", default: "64" },
    engines: { type: "string" },
    follow: { type: "string", default: "wait" },
    storage: { type: "boolean", default: false },
    sizes: { type: "string", default: "10000,100000" },
    million: { type: "boolean", default: false },
    "real-tasks": { type: "string", default: "1000" },
    samples: { type: "string", default: "200" },
    processes: { type: "string" },
    outside: { type: "boolean", default: false },
  },
});
const TASKS = Number(args.tasks);
const CONCURRENCY = Number(args.concurrency);
const SOAK = Number(args.soak);
const PG_URL = args["pg-url"] ?? Deno.env.get("TEST_DATABASE_URL");
// `--db none` measures only the ceiling and the A2A agent.
const DATABASES = (args.db ?? (PG_URL ? "sqlite,postgres" : "sqlite")).split(",")
  .filter((name) => name && name !== "none");
/** Tasks run one at a time to measure the unloaded overhead. */
const PROBE_TASKS = 200;
/** A first run may download npm packages before a service listens. */
const START_TIMEOUT_MS = 120_000;

interface Row {
  [key: string]: string | number | null;
}
const rows: Row[] = [];

const formatRow = (row: Row) => Object.entries(row).map(([k, v]) => `${k}=${v}`).join("  ");

/** Records a row of the final table, and shows it now: a long run's figures appear as they come. */
function report(...added: Row[]): void {
  rows.push(...added);
  for (const row of added) console.error(formatRow(row));
}
const figures: Record<string, unknown> = {
  machine: { cpus: navigator.hardwareConcurrency, os: Deno.build.os, deno: Deno.version.deno },
  tasks: TASKS,
  concurrency: CONCURRENCY,
};

async function post(url: string, body: unknown): Promise<Response> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
  return response;
}

async function ceiling(): Promise<number> {
  const hello = await startServiceProcess("scripts/bench/hello_server.ts", {}, {
    timeoutMs: START_TIMEOUT_MS,
  });
  try {
    const total = Math.max(TASKS * 5, 10_000);
    await runPool(
      500,
      CONCURRENCY,
      async () => void await (await post(`${hello.url}/hello`, {})).text(),
      "warm-up",
    );
    const { seconds } = await runPool(total, CONCURRENCY, async () => {
      await (await post(`${hello.url}/hello`, {})).text();
    }, "ceiling (bare Hono hello)");
    return total / seconds;
  } finally {
    await hello.kill("SIGTERM");
  }
}

async function waitUntilFinished(db: Kysely<Database>, expected: number, label: string) {
  const started = performance.now();
  while (true) {
    const counts = await countTasksByStatus(db);
    const finished = (counts.completed ?? 0) + (counts.failed ?? 0);
    Deno.stderr.writeSync(
      new TextEncoder().encode(`\r${label}: ${finished}/${expected} finished   `),
    );
    if (finished >= expected) break;
    if (performance.now() - started > 600_000) throw new Error(`${label}: tasks did not finish`);
    await new Promise((r) => setTimeout(r, 100));
  }
  Deno.stderr.writeSync(new TextEncoder().encode("\n"));
}

async function measure(db: Kysely<Database>, fromId: number, label: string, stepsPerTask: number) {
  const tasks = await db.selectFrom("tasks").select(["id", "status", "created_at", "completed_at"])
    .where("id", ">", fromId).execute();
  const steps = await db.selectFrom("task_steps").select(["task_id", "output_data"])
    .where("task_id", ">", fromId).execute();
  const agentMs = new Map<number, number>();
  for (const step of steps) {
    const ms = Number(JSON.parse(step.output_data).agent_ms ?? 0);
    agentMs.set(step.task_id, (agentMs.get(step.task_id) ?? 0) + ms);
  }
  const latencies = tasks.filter((t) => t.completed_at).map((t) =>
    Date.parse(t.completed_at!) - Date.parse(t.created_at)
  ).sort((a, b) => a - b);
  const overheads = tasks.filter((t) => t.completed_at).map((t) =>
    (Date.parse(t.completed_at!) - Date.parse(t.created_at) - (agentMs.get(t.id) ?? 0)) /
    stepsPerTask
  ).sort((a, b) => a - b);
  const first = Math.min(...tasks.map((t) => Date.parse(t.created_at)));
  const last = Math.max(...tasks.map((t) => Date.parse(t.completed_at ?? t.created_at)));
  const failed = tasks.filter((t) => t.status !== "completed").length;
  return {
    label,
    tasks: tasks.length,
    failed,
    tasks_per_s: Math.round(tasks.length / ((last - first) / 1000)),
    p50_ms: percentile(latencies, 50),
    p95_ms: percentile(latencies, 95),
    p99_ms: percentile(latencies, 99),
    overhead_per_step_p50_ms: Number(percentile(overheads, 50).toFixed(2)),
  };
}

async function benchDatabase(kind: string, ceilingRps: number) {
  let url: string;
  let cleanup: () => Promise<void>;
  if (kind === "postgres") {
    if (!PG_URL) throw new Error("postgres needs --pg-url or TEST_DATABASE_URL");
    const schema = `bench_${crypto.randomUUID().slice(0, 8)}`;
    const admin = createPgClient({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    const parsed = new URL(PG_URL);
    parsed.searchParams.set("schema", schema);
    url = parsed.toString();
    cleanup = async () => {
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    };
  } else {
    const dir = await Deno.makeTempDir({ prefix: "orch-bench-" });
    url = `sqlite:${dir}/bench.db`;
    cleanup = () => Deno.remove(dir, { recursive: true });
  }
  const agent = await startServiceProcess("scripts/bench/instant_agent.ts", {}, {
    timeoutMs: START_TIMEOUT_MS,
  });
  const startOrchestrator = (inspectPort?: number) =>
    startServiceProcess("orchestrator/main.ts", {
      DATABASE_URL: url,
      ORCHESTRATOR_PORT: "0",
      LOG_LEVEL: "info",
      RATE_LIMIT_PER_MINUTE: "0",
      WORKER_CONCURRENCY: args.workers!,
      HEALTH_CHECK_INTERVAL_MS: "600000",
      A2A_AGENT_URL: "http://127.0.0.1:9",
      API_AGENT_URL: "http://127.0.0.1:9",
    }, {
      timeoutMs: START_TIMEOUT_MS,
      denoFlags: [
        ...(inspectPort ? [`--inspect=127.0.0.1:${inspectPort}`] : []),
        ...(args.profile ? ["--cpu-prof", `--cpu-prof-dir=${args.profile}`] : []),
      ],
    });
  let orchestrator = await startOrchestrator();
  const db = connect(url);
  try {
    await post(`${orchestrator.url}/api/agents`, {
      name: "instant",
      agent_type: "api",
      endpoint: agent.url,
      capabilities: ["research", "analysis", "summarization"],
    });
    const pid = orchestrator.child.pid;
    const memoryStart = await memoryOf(orchestrator.url);
    const submit = (description: string) => async () => {
      await (await post(`${orchestrator.url}/api/tasks`, { description, user_id: "bench" })).text();
    };

    await runPool(200, CONCURRENCY, submit("Research warm-up"), `${kind} warm-up`);
    await waitUntilFinished(db, 200, `${kind} warm-up`);

    // Unloaded: one task at a time, each followed to its end over SSE. Its overhead per step is
    // the orchestration's own cost; under load (below) queueing adds to it.
    let fromId = 200;
    await runPool(PROBE_TASKS, 1, async () => {
      const created = await (await post(`${orchestrator.url}/api/tasks`, {
        description: "Research the probe",
        user_id: "bench",
      })).json();
      await (await fetch(`${orchestrator.url}/api/tasks/${created.task_id}/events`)).text();
    }, `${kind} unloaded`);
    const probe = await measure(db, fromId, `${kind} single-step, unloaded`, 1);
    fromId += PROBE_TASKS;

    // The orchestrator's own CPU time per task: a figure other load on the machine skews less
    // than throughput.
    // CPU of everything the run needs: the orchestrator, the agent, this client and, on
    // Postgres, the database server. On two cores, 2,000 ms per second divided by the sum is
    // the most any run could reach.
    const cpuNow = () => ({
      orchestrator: cpuMs(pid),
      all: cpuMs(pid) + cpuMs(agent.child.pid) + cpuMs(Deno.pid) +
        (kind === "postgres" ? cpuMsOfAll("postgres") : 0),
    });
    const cpuPerTask = (before: ReturnType<typeof cpuNow>) => {
      const after = cpuNow();
      return {
        cpu_ms_per_task: Number(((after.orchestrator - before.orchestrator) / TASKS).toFixed(2)),
        cpu_ms_per_task_all_processes: Number(((after.all - before.all) / TASKS).toFixed(2)),
      };
    };
    let cpuBefore = cpuNow();
    await runPool(TASKS, CONCURRENCY, submit("Research the topic"), `${kind} single-step`);
    await waitUntilFinished(db, fromId + TASKS, `${kind} single-step`);
    const single = {
      ...await measure(db, fromId, `${kind} single-step`, 1),
      ...cpuPerTask(cpuBefore),
    };
    fromId += TASKS;

    cpuBefore = cpuNow();
    await runPool(
      TASKS,
      CONCURRENCY,
      submit("Research A; research B. Then summarize both."),
      `${kind} three-step`,
    );
    await waitUntilFinished(db, fromId + TASKS, `${kind} three-step`);
    const three = {
      ...await measure(db, fromId, `${kind} three-step (2 parallel + 1)`, 3),
      ...cpuPerTask(cpuBefore),
    };
    fromId += TASKS;
    const memoryAfter = await memoryOf(orchestrator.url);

    // The soak in fifths, memory read after each: flat is a plateau, a leak is a slope. It runs
    // on a process of its own with an inspector, through which each reading first collects the
    // garbage; the runs above had none (with --inspect, V8 spends about 40 % more CPU per task).
    let inspectPort: number | undefined;
    if (SOAK > 0) {
      await orchestrator.kill("SIGTERM");
      inspectPort = freePort();
      orchestrator = await startOrchestrator(inspectPort);
    }
    let memorySoak: Memory | undefined;
    const soakCurve: string[] = [];
    const soakPoints: [number, number][] = [];
    const heapPoints: [number, number][] = [];
    for (let part = 1, done = 0; SOAK > 0 && part <= 5; part++) {
      const count = Math.round((SOAK * part) / 5) - done;
      await runPool(count, CONCURRENCY, submit("Research soak"), `${kind} soak ${part}/5`);
      done += count;
      await waitUntilFinished(db, fromId + done, `${kind} soak ${part}/5`);
      memorySoak = await memoryOf(orchestrator.url, inspectPort);
      soakCurve.push(`${done}: ${memorySoak.rss_mb} (heap ${memorySoak.heap_mb})`);
      soakPoints.push([done, memorySoak.rss_mb]);
      heapPoints.push([done, memorySoak.heap_mb]);
    }
    report({
      label: probe.label,
      tasks: probe.tasks,
      p50_ms: probe.p50_ms,
      p99_ms: probe.p99_ms,
      overhead_per_step_p50_ms: probe.overhead_per_step_p50_ms,
    });
    for (const result of [single, three]) {
      report({
        ...result,
        ceiling_rps: Math.round(ceilingRps),
        ratio: Number((result.tasks_per_s / ceilingRps).toFixed(3)),
      });
    }
    figures[kind] = {
      unloaded: probe,
      single,
      three,
      memory_mb: {
        start: memoryStart,
        after_runs: memoryAfter,
        [`after_${SOAK}_more`]: memorySoak,
        soak_rss_points: soakPoints,
        soak_heap_points: heapPoints,
      },
    };
    const show = (m?: Memory) => m ? `${m.rss_mb} (heap ${m.heap_mb})` : "skipped";
    const growth = (points: [number, number][]) =>
      memorySoak ? Number((slope(points) * 100_000).toFixed(1)) : "skipped";
    report({
      label: `${kind} memory, RSS MB (JS heap in use; the soak's after a full collection)`,
      start: show(memoryStart),
      after_runs: show(memoryAfter),
      after_soak: show(memorySoak),
      soak_tasks: SOAK,
      soak_rss_curve: soakCurve.join(", ") || "skipped",
      // A line fitted to the soak's five readings, each after a full collection: caches and the
      // heap fill before the first (the warm-up); a leak goes on after it.
      rss_growth_mb_per_100k_tasks_after_warmup: growth(soakPoints),
      heap_growth_mb_per_100k_tasks_after_warmup: growth(heapPoints),
    });
  } finally {
    await db.destroy();
    await orchestrator.kill("SIGTERM");
    await agent.kill("SIGTERM");
    await cleanup();
  }
}

async function writeFigures(name: string, data: unknown): Promise<void> {
  await Deno.mkdir("bench-results", { recursive: true });
  const file = `bench-results/${name}-${new Date().toISOString().replaceAll(":", "-")}.json`;
  await Deno.writeTextFile(file, JSON.stringify(data, null, 2));
  console.log(`figures written to ${file}`);
}

if (args.peers) {
  if (!PG_URL) throw new Error("--peers needs Postgres: --pg-url or TEST_DATABASE_URL");
  if (!["wait", "sse"].includes(args.follow!)) throw new Error("--follow is wait or sse");
  const peerRows = await benchPeers({
    pgUrl: PG_URL,
    durationS: Number(args.duration),
    warmupS: Number(args.warmup),
    probe: Number(args.probe),
    concurrency: Number(args["peer-concurrency"]),
    ks: [1, 3],
    engines: args.engines?.split(",").map((e) => e.trim()),
    follow: args.follow as "wait" | "sse",
  });
  console.log(
    `\nPeers on ${navigator.hardwareConcurrency} CPUs, ${args["peer-concurrency"]} workflows ` +
      `outstanding, ${args.duration} s per run, this product followed by ${args.follow}`,
  );
  for (const row of peerRows) console.log(formatRow(row));
  await writeFigures("peers", { machine: figures.machine, args, rows: peerRows });
  Deno.exit(0);
}

if (args.storage) {
  const sizes = args.sizes!.split(",").map(Number);
  if (args.million) sizes.push(1_000_000);
  const storageRows = await benchStorage({
    pgUrl: PG_URL,
    databases: DATABASES,
    sizes,
    realTasks: Number(args["real-tasks"]),
    samples: Number(args.samples),
  });
  console.log(`\nStorage on ${navigator.hardwareConcurrency} CPUs`);
  for (const row of storageRows) console.log(formatRow(row));
  await writeFigures("storage", { machine: figures.machine, args, rows: storageRows });
  Deno.exit(0);
}

if (args.processes) {
  const processRows = await benchProcesses({
    pgUrl: PG_URL,
    databases: DATABASES,
    counts: args.processes.split(",").map(Number),
    durationS: Number(args.duration),
    warmupS: Number(args.warmup),
    concurrency: Number(args["peer-concurrency"]),
  });
  console.log(`\nProcesses on one port, on ${navigator.hardwareConcurrency} CPUs`);
  for (const row of processRows) console.log(formatRow(row));
  await writeFigures("processes", { machine: figures.machine, args, rows: processRows });
  Deno.exit(0);
}

if (args.outside) {
  const outsideRows = await benchOutside({
    pgUrl: PG_URL,
    databases: DATABASES,
    requests: TASKS,
    clients: CONCURRENCY,
    warmup: Math.min(500, TASKS),
  });
  if (outsideRows) {
    console.log(
      `\nFrom outside: h2load, ${CONCURRENCY} connections, ${TASKS} single-step tasks, ` +
        `on ${navigator.hardwareConcurrency} CPUs`,
    );
    for (const row of outsideRows) console.log(formatRow(row));
    await writeFigures("outside", { machine: figures.machine, args, rows: outsideRows });
  }
  Deno.exit(0);
}

const ceilingRps = await ceiling();
figures.ceiling_rps = ceilingRps;
report({ label: "ceiling: bare Hono hello", requests_per_s: Math.round(ceilingRps) });
for (const kind of DATABASES) await benchDatabase(kind, ceilingRps);
if (args.a2a !== "off") {
  const a2a = await a2aThroughput({
    messages: Math.max(TASKS, 1000),
    concurrency: CONCURRENCY,
  });
  report(...a2a);
  figures.a2a = a2a;
}

console.log(
  `\nBenchmark on ${navigator.hardwareConcurrency} CPUs, Deno ${Deno.version.deno}, concurrency ${CONCURRENCY}`,
);
for (const row of rows) console.log(formatRow(row));
await writeFigures("bench", { ...figures, rows });
