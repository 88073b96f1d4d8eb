/**
 * Drives one engine with the peers' Node client (peers/client.mjs) and reads the CPU time of
 * the engine's processes, the agent's and the client's around the loaded run.
 */
import { readLines } from "../service_process.ts";
import { type Context, type Engine, NODE, PEERS_DIR } from "./engines.ts";
import { cpuMs, machineCpuMs } from "./load.ts";

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
