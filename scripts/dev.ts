/**
 * `deno task dev`: runs the orchestrator, both agents and the UI together. Each log line is
 * prefixed with its service; once all answer their health check the URLs are printed. A file
 * change restarts the services that use it; Ctrl-C or SIGTERM stops every process started here.
 */
import { loadConfig, readEnvironment } from "@app/lib";
import { telemetryEnv } from "./telemetry_env.ts";
import { readLines } from "./service_process.ts";

interface Service {
  name: string;
  main: string;
  port: number;
  health: string;
  /** Folders whose changes restart this service. */
  watch: string[];
  permissions: string[];
  color: number;
}

const config = loadConfig();
const NET = ["--allow-net", "--allow-env", "--allow-read", "--allow-sys"];
const SERVICES: Service[] = [
  {
    name: "orchestrator",
    main: "orchestrator/main.ts",
    port: config.ORCHESTRATOR_PORT,
    health: "/health",
    watch: ["orchestrator", "db", "lib"],
    permissions: [...NET, "--allow-write"],
    color: 36,
  },
  {
    name: "a2a-agent",
    main: "agents/a2a/main.ts",
    port: config.A2A_AGENT_PORT,
    health: "/health",
    watch: ["agents/a2a", "db", "lib"],
    // --allow-write: its A2A tasks are in the SQLite database file too.
    permissions: [...NET, "--allow-write"],
    color: 35,
  },
  {
    name: "api-agent",
    main: "agents/api/main.ts",
    port: config.API_AGENT_PORT,
    health: "/health",
    watch: ["agents/api", "db", "lib"],
    // --allow-write: its answers by idempotency key are in the SQLite database file too.
    permissions: [...NET, "--allow-write"],
    color: 33,
  },
  {
    name: "ui",
    main: "ui/main.ts",
    port: config.UI_PORT,
    health: "/",
    watch: ["ui", "lib"],
    permissions: [...NET, "--allow-write", "--allow-run"],
    color: 32,
  },
];

const ROOT = new URL("../", import.meta.url).pathname;
const children = new Map<string, Deno.ChildProcess>();
let stopping = false;
const encoder = new TextEncoder();

function log(name: string, color: number, line: string) {
  const label = Deno.noColor ? `${name.padEnd(12)}│ ` : `\x1b[${color}m${name.padEnd(12)}\x1b[0m│ `;
  Deno.stdout.writeSync(encoder.encode(label + line + "\n"));
}

function pipe(stream: ReadableStream<Uint8Array>, service: Service) {
  return readLines(stream, (line) => log(service.name, service.color, line));
}

function start(service: Service) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...service.permissions, service.main],
    cwd: ROOT,
    env: telemetryEnv(readEnvironment(), service.name),
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  }).spawn();
  children.set(service.name, child);
  pipe(child.stdout, service).catch(() => {});
  pipe(child.stderr, service).catch(() => {});
  child.status.then((status) => {
    if (!stopping && children.get(service.name) === child) {
      log(
        service.name,
        service.color,
        `exited with code ${status.code}; it restarts on the next change`,
      );
    }
  });
}

async function stop(service: Service) {
  const child = children.get(service.name);
  if (!child) return;
  children.delete(service.name);
  try {
    child.kill("SIGTERM");
  } catch {
    return; // already gone
  }
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch { /* gone */ }
  }, 5_000);
  await child.status;
  clearTimeout(timer);
}

async function waitHealthy(service: Service, timeoutMs = 120_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !stopping) {
    try {
      const response = await fetch(`http://127.0.0.1:${service.port}${service.health}`);
      await response.body?.cancel();
      if (response.ok) return true;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping ${children.size} services...`);
  await Promise.all(SERVICES.map(stop));
  console.log("all services stopped");
  Deno.exit(0);
}
Deno.addSignalListener("SIGINT", () => shutdown("SIGINT"));
Deno.addSignalListener("SIGTERM", () => shutdown("SIGTERM"));

for (const service of SERVICES) start(service);
// Not `.map(waitHealthy)`: map's index would become the time-out.
const healthy = await Promise.all(SERVICES.map((service) => waitHealthy(service)));
if (!stopping) {
  console.log("");
  SERVICES.forEach((service, i) => {
    const url = `http://localhost:${service.port}`;
    const docs = service.name === "ui" ? "" : `  docs: ${url}/docs`;
    console.log(`${healthy[i] ? "✔" : "✘"} ${service.name.padEnd(12)} ${url}${docs}`);
  });
  console.log(`\nOpen the UI at http://localhost:${config.UI_PORT} · Ctrl-C stops everything\n`);
}

// Restart on change, debounced, only the services whose folders changed.
const pending = new Set<Service>();
let timer: ReturnType<typeof setTimeout> | undefined;
const watcher = Deno.watchFs(["orchestrator", "agents", "ui", "db", "lib"].map((d) => ROOT + d));
for await (const event of watcher) {
  if (stopping) break;
  if (event.paths.every((p) => p.includes("/static/islands/") || !/\.(tsx?|css|json)$/.test(p))) {
    continue;
  }
  for (const path of event.paths) {
    const relative = path.slice(ROOT.length);
    for (const service of SERVICES) {
      if (service.watch.some((dir) => relative.startsWith(dir + "/"))) pending.add(service);
    }
  }
  clearTimeout(timer);
  timer = setTimeout(async () => {
    const restart = [...pending];
    pending.clear();
    for (const service of restart) {
      log(service.name, service.color, "change detected: restarting");
      await stop(service);
      if (!stopping) start(service);
    }
  }, 300);
}
