/**
 * `deno task orchestrator:cluster`: ORCHESTRATOR_PROCESSES orchestrators on one port, so one
 * machine's cores all serve (each process is single-threaded JavaScript). Each listens with
 * SO_REUSEPORT and the kernel spreads connections over them; they share the work through the
 * database (leases), and an event stream follows a task run by any of them (Postgres: at once,
 * through LISTEN/NOTIFY; SQLite: within a second, by looking at the log again). A process that
 * dies is started again; SIGINT/SIGTERM stop them all, each handing its leases back.
 */
import { createLogger, loadConfigOrExit } from "@app/lib";

const config = loadConfigOrExit("orchestrator-cluster");
const logger = createLogger("orchestrator-cluster", config.LOG_LEVEL);
const MAIN = new URL("./main.ts", import.meta.url).pathname;
/** A process that dies within this of its start is not started again (a setting is wrong). */
const MIN_LIFETIME_MS = 5_000;

/** Port 0 means "any": every process must be given the same one, so one is picked here. */
function chosenPort(): number {
  if (config.ORCHESTRATOR_PORT !== 0) return config.ORCHESTRATOR_PORT;
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

const port = chosenPort();
const children = new Set<Deno.ChildProcess>();
let stopping = false;

function start(index: number): void {
  const started = Date.now();
  const child = new Deno.Command(Deno.execPath(), {
    // SO_REUSEPORT is behind --unstable-net in Deno 2.
    args: [
      "run",
      "--allow-net",
      "--allow-env",
      "--allow-read",
      "--allow-write",
      "--allow-sys",
      "--unstable-net",
      MAIN,
    ],
    env: { ORCHESTRATOR_PORT: String(port), REUSE_PORT: "true", ORCHESTRATOR_PROCESSES: "1" },
    stdin: "null",
  }).spawn();
  children.add(child);
  child.status.then((status) => {
    children.delete(child);
    if (stopping) return;
    logger.error("orchestrator process exited", { index, pid: child.pid, code: status.code });
    if (Date.now() - started < MIN_LIFETIME_MS) {
      logger.error("it died at start: not starting it again", { index });
      if (children.size === 0) Deno.exit(1);
      return;
    }
    start(index);
  });
}

for (let i = 0; i < config.ORCHESTRATOR_PROCESSES; i++) start(i);
logger.info("started", { processes: config.ORCHESTRATOR_PROCESSES, port });

async function stop(signal: Deno.Signal) {
  if (stopping) return;
  stopping = true;
  for (const child of children) {
    try {
      child.kill(signal);
    } catch {
      // gone already
    }
  }
  await Promise.all([...children].map((child) => child.status));
  Deno.exit(0);
}
Deno.addSignalListener("SIGINT", () => stop("SIGTERM"));
Deno.addSignalListener("SIGTERM", () => stop("SIGTERM"));
