/**
 * `deno task bench --peers`: this orchestrator beside durable-execution peers (Restate, DBOS,
 * pg-boss) on one workload, in one run, measured by one Node client (peers/client.mjs): workflows
 * of K sequential steps, each step one POST to the same instant agent process, 64 outstanding.
 * The peers' code and pinned dependencies live in scripts/bench/peers/ (installed there with npm
 * on first use); nothing in the product imports them. A peer that cannot start is reported.
 */
import { createPgClient } from "@app/db";
import { startServiceProcess } from "../service_process.ts";
import { drive } from "./drive.ts";
import { type Context, type Engine, ENGINE_KEYS, ENGINES, PEERS_DIR } from "./engines.ts";

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
      if (spec.rateTarget) row.rate_target = spec.rateTarget;
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
      // The verdicts: the rate at least `rate_target` times the fastest peer's; the overhead
      // and the CPU at most half the lowest peer's.
      const met = (value: Row[string], ok: (v: number) => boolean) =>
        typeof value === "number" ? (ok(value) ? "met" : "not met") : "not measured";
      const target = Number(row.rate_target ?? 2);
      out[`targets_k${k}`] = [
        `rate ${target}x ${met(out[`per_s_k${k}`], (v) => v >= target)}`,
        `overhead half ${met(out[`overhead_per_step_ms_k${k}`], (v) => v <= 0.5)}`,
        `CPU half ${met(out[`cpu_ms_per_wf_k${k}`], (v) => v <= 0.5)}`,
      ].join(", ");
    }
    return out;
  });
}
