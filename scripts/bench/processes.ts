/**
 * `deno task bench --processes 1,2`: this orchestrator as N processes on one port
 * (`orchestrator:cluster`, SO_REUSEPORT), on SQLite and on Postgres, driven by the peers'
 * client (64 workflows outstanding, K = 1 and 3, every result checked): the rate against the
 * number of processes, with the CPU per workflow of all of them (and Postgres's backends).
 */
import { createPgClient } from "@app/db";
import { startServiceProcess } from "../service_process.ts";
import { drive } from "./drive.ts";
import { type Context, freshDatabase, type Proc } from "./engines.ts";
import type { Row } from "./peers.ts";

export interface ProcessesOptions {
  pgUrl?: string;
  databases: string[];
  counts: number[];
  durationS: number;
  warmupS: number;
  concurrency: number;
}

/** The processes the cluster launcher started: those whose parent it is (Linux /proc). */
function childrenOf(pid: number): Proc[] {
  const children: Proc[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const stat = Deno.readTextFileSync(`/proc/${entry.name}/stat`);
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (parent === pid) {
        children.push({ pid: Number(entry.name), output: [], stop: () => Promise.resolve() });
      }
    } catch {
      // gone meanwhile
    }
  }
  return children;
}

async function waitForListening(output: string[], count: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (output.filter((line) => line.includes('"listening"')).length < count) {
    if (Date.now() > deadline) throw new Error(`not all listening:\n${output.join("\n")}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function benchProcesses(options: ProcessesOptions): Promise<Row[]> {
  const agent = await startServiceProcess("scripts/bench/instant_agent.ts", {}, {
    timeoutMs: 120_000,
  });
  const admin = options.pgUrl ? createPgClient({ connectionString: options.pgUrl }) : undefined;
  await admin?.connect();
  const ctx = { agentUrl: agent.url, pgUrl: options.pgUrl ?? "", admin } as Context;
  const rows: Row[] = [];
  try {
    for (const kind of options.databases) {
      const baseline: Record<number, number> = {};
      for (const count of options.counts) {
        let url: string;
        let drop: () => Promise<void>;
        let database: string | undefined;
        if (kind === "postgres") {
          if (!admin) throw new Error("postgres needs --pg-url or TEST_DATABASE_URL");
          const fresh = await freshDatabase(ctx, "processes");
          ({ url, drop } = fresh);
          database = fresh.name;
        } else {
          const dir = await Deno.makeTempDir({ prefix: "bench-processes-" });
          url = `sqlite:${dir}/bench.db`;
          drop = () => Deno.remove(dir, { recursive: true });
        }
        const cluster = await startServiceProcess("orchestrator/cluster.ts", {
          DATABASE_URL: url,
          ORCHESTRATOR_PORT: "0",
          ORCHESTRATOR_PROCESSES: String(count),
          LOG_LEVEL: "info",
          RATE_LIMIT_PER_MINUTE: "0",
          WORKER_CONCURRENCY: "128",
          HEALTH_CHECK_INTERVAL_MS: "600000",
          A2A_AGENT_URL: "http://127.0.0.1:9",
          API_AGENT_URL: "http://127.0.0.1:9",
        }, { timeoutMs: 120_000 });
        const row: Row = { label: `${kind}, ${count} process${count > 1 ? "es" : ""}` };
        try {
          await waitForListening(cluster.output, count);
          const registered = await fetch(`${cluster.url}/api/agents`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({
              name: "instant",
              agent_type: "api",
              endpoint: agent.url,
              capabilities: ["research", "analysis", "summarization"],
            }),
          });
          if (!registered.ok) throw new Error(`registering: ${await registered.text()}`);
          await registered.body?.cancel();
          // The other processes see the new agent when their agent cache expires (1 s).
          await new Promise((resolve) => setTimeout(resolve, 1_500));
          const engine = {
            client: "orchestrator" as const,
            url: cluster.url,
            procs: childrenOf(cluster.child.pid),
            database,
            stop: () => Promise.resolve(),
          };
          for (const k of [1, 3]) {
            const figures = await drive(ctx, engine, {
              engine: "orchestrator",
              url: cluster.url,
              agentUrl: agent.url,
              k,
              concurrency: options.concurrency,
              warmupS: options.warmupS,
              durationS: options.durationS,
              probe: 0,
              follow: "wait",
            }, agent.child.pid);
            baseline[k] ??= figures.per_s;
            Object.assign(row, {
              [`per_s_k${k}`]: figures.per_s,
              [`vs_1_process_k${k}`]: Number((figures.per_s / baseline[k]).toFixed(2)),
              [`p50_ms_k${k}`]: figures.p50_ms,
              [`cpu_ms_per_wf_k${k}`]: Number(
                (figures.cpu_engine_ms / Math.max(1, figures.workflows)).toFixed(2),
              ),
              [`failed_k${k}`]: figures.errors,
            });
          }
        } catch (error) {
          row.error = (error as Error).message.slice(0, 300);
        } finally {
          await cluster.kill("SIGTERM");
          await drop();
        }
        console.error(Object.entries(row).map(([k, v]) => `${k}=${v}`).join("  "));
        rows.push(row);
      }
    }
  } finally {
    await admin?.end();
    await agent.kill("SIGTERM");
  }
  return rows;
}
