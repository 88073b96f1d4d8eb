/**
 * h2load (Debian's nghttp2-client) as the load from outside: one run over HTTP/1.1 posting one
 * JSON body, its summary read into figures and its per-request log into latency percentiles
 * (h2load itself prints only min, max, mean and sd).
 */
import { readLines } from "../service_process.ts";
import { percentile } from "./load.ts";

export interface H2loadSummary {
  /** Requests h2load was asked for. */
  requests: number;
  /** Requests answered 2xx. */
  ok: number;
  /** Requests not answered 2xx: other statuses, connection errors, time-outs. */
  failed: number;
  /** h2load's own rate: requests done over its run. */
  requests_per_s: number;
  seconds: number;
  status: { "2xx": number; "3xx": number; "4xx": number; "5xx": number };
}

export interface H2loadFigures extends H2loadSummary {
  /** Per-request latency at the client, from h2load's log (end of response). */
  p50_ms: number;
  p95_ms: number;
}

/** "211.53ms", "3.02s", "39us" as seconds. */
function seconds(text: string): number {
  const match = /^([\d.]+)(us|ms|s|m|h)$/.exec(text.trim());
  if (!match) throw new Error(`h2load: not a duration: ${text}`);
  const scale = { us: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 }[match[2]]!;
  return Number(match[1]) * scale;
}

/** The figures in h2load's summary (its stdout); throws naming the line it could not find. */
export function parseH2loadSummary(output: string): H2loadSummary {
  const line = (pattern: RegExp, what: string) => {
    const match = pattern.exec(output);
    if (!match) throw new Error(`h2load's output has no ${what} line:\n${output.slice(-2000)}`);
    return match;
  };
  const finished = line(/^finished in ([\d.]+\w+), ([\d.]+) req\/s/m, "'finished in'");
  const requests = line(/^requests: (\d+) total, \d+ started, (\d+) done/m, "'requests:'");
  const codes = line(
    /^status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx/m,
    "'status codes:'",
  );
  const total = Number(requests[1]);
  const status = {
    "2xx": Number(codes[1]),
    "3xx": Number(codes[2]),
    "4xx": Number(codes[3]),
    "5xx": Number(codes[4]),
  };
  return {
    requests: total,
    ok: status["2xx"],
    failed: total - status["2xx"],
    requests_per_s: Number(finished[2]),
    seconds: seconds(finished[1]),
    status,
  };
}

/** p50 and p95 in ms from h2load's `--log-file` (start µs, status, µs to the response's end). */
export function latencyFromLog(log: string): { p50_ms: number; p95_ms: number; count: number } {
  const micros = log.split("\n").filter((row) => row.trim()).map((row) => {
    const [, , duration] = row.split("\t");
    const value = Number(duration);
    if (!Number.isFinite(value)) throw new Error(`h2load's log: not a row: ${row}`);
    return value;
  }).sort((a, b) => a - b);
  const ms = (p: number) => Number((percentile(micros, p) / 1000).toFixed(2));
  return { p50_ms: ms(50), p95_ms: ms(95), count: micros.length };
}

/** h2load's version line, or undefined when it is not installed. */
export async function h2loadVersion(): Promise<string | undefined> {
  try {
    const { stdout } = await new Deno.Command("h2load", { args: ["--version"], stdout: "piped" })
      .output();
    return new TextDecoder().decode(stdout).trim();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

export interface H2loadRun {
  url: string;
  /** The JSON body every request posts. */
  body: unknown;
  clients: number;
  requests: number;
  /** Each line h2load prints while it runs ("progress: 10% done"). */
  onLine?: (line: string) => void;
}

/** One h2load run over HTTP/1.1; throws if h2load fails (not if requests fail: see `failed`). */
export async function runH2load(run: H2loadRun): Promise<H2loadFigures> {
  const dir = await Deno.makeTempDir({ prefix: "bench-h2load-" });
  try {
    await Deno.writeTextFile(`${dir}/body.json`, JSON.stringify(run.body));
    const child = new Deno.Command("h2load", {
      args: [
        "--h1",
        "-c",
        String(Math.min(run.clients, run.requests)),
        "-n",
        String(run.requests),
        "-d",
        `${dir}/body.json`,
        "-H",
        "content-type: application/json",
        `--log-file=${dir}/log.tsv`,
        run.url,
      ],
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const output: string[] = [];
    const collect = (line: string) => {
      output.push(line);
      run.onLine?.(line);
    };
    await Promise.all([readLines(child.stdout, collect), readLines(child.stderr, collect)]);
    const status = await child.status;
    const text = output.join("\n");
    if (!status.success) throw new Error(`h2load exited with ${status.code}:\n${text}`);
    const { p50_ms, p95_ms } = latencyFromLog(await Deno.readTextFile(`${dir}/log.tsv`));
    return { ...parseH2loadSummary(text), p50_ms, p95_ms };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
