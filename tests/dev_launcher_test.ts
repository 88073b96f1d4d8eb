/**
 * `deno task dev` as a user runs it: all four services on free ports, a temp SQLite file, the
 * built-in agents registered by the orchestrator, the seed's curl example completing, the UI
 * answering, and Ctrl-C (SIGINT) leaving no process behind.
 */
import { assert, assertEquals } from "@app/lib/assert";
import { freePort } from "./helpers/free_port.ts";
import { readLines } from "../scripts/service_process.ts";

const ROOT = decodeURIComponent(new URL("../", import.meta.url).pathname);
const IS_LINUX = Deno.build.os === "linux";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

async function until<T>(fn: () => Promise<T | undefined>, what: string, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await fn();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? ` (last: ${last})` : ""}`);
}

/** Child processes of `pid` and theirs, from /proc (Linux). */
function descendants(pid: number): number[] {
  const found: number[] = [];
  const visit = (parent: number) => {
    let tasks: Deno.DirEntry[] = [];
    try {
      tasks = [...Deno.readDirSync(`/proc/${parent}/task`)];
    } catch {
      return;
    }
    for (const task of tasks) {
      let text = "";
      try {
        text = Deno.readTextFileSync(`/proc/${parent}/task/${task.name}/children`);
      } catch {
        continue;
      }
      for (const child of text.trim().split(/\s+/).filter(Boolean).map(Number)) {
        if (!found.includes(child)) {
          found.push(child);
          visit(child);
        }
      }
    }
  };
  visit(pid);
  return found;
}

/** Whether a process is still running (a zombie waiting to be reaped counts as gone). */
function alive(pid: number): boolean {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

async function listening(port: number): Promise<boolean> {
  try {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    conn.close();
    return true;
  } catch {
    return false;
  }
}

Deno.test({
  name: "[dev] deno task dev: four services, the seed's curl example, the UI, Ctrl-C stops all",
  ignore: !IS_LINUX,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "dev-launcher-" });
    const ports = {
      orchestrator: freePort(),
      a2a: freePort(),
      api: freePort(),
      ui: freePort(),
    };
    const env = {
      HOST: "127.0.0.1",
      NO_COLOR: "1",
      LOG_LEVEL: "info",
      // Whatever a developer's .env says, this run is offline, open and on its own ports.
      LLM_PROVIDER: "offline",
      API_KEY: "",
      DATABASE_URL: `sqlite:${dir}/dev.db`,
      ORCHESTRATOR_PORT: String(ports.orchestrator),
      A2A_AGENT_PORT: String(ports.a2a),
      API_AGENT_PORT: String(ports.api),
      UI_PORT: String(ports.ui),
      ORCHESTRATOR_URL: `http://127.0.0.1:${ports.orchestrator}`,
      A2A_AGENT_URL: `http://127.0.0.1:${ports.a2a}`,
      API_AGENT_URL: `http://127.0.0.1:${ports.api}`,
      FRONTEND_URL: `http://127.0.0.1:${ports.ui}`,
      RATE_LIMIT_PER_MINUTE: "0",
    };
    const launcher = new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-all", "scripts/dev.ts"],
      cwd: ROOT,
      env,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const output: string[] = [];
    let ready: () => void;
    const opened = new Promise<void>((resolve) => (ready = resolve));
    const collect = (line: string) => {
      output.push(line);
      if (line.includes("Open the UI")) ready();
    };
    const pumps = Promise.all([
      readLines(launcher.stdout, collect),
      readLines(launcher.stderr, collect),
    ]).catch(() => {});
    const log = () => output.slice(-80).join("\n");
    let started: number[] = [];
    let launcherDone = false;
    launcher.status.then(() => (launcherDone = true));
    try {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        opened,
        launcher.status.then((s) => {
          throw new Error(`the launcher exited with ${s.code} before it was ready:\n${log()}`);
        }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no "Open the UI" line in 150 s:\n${log()}`)),
            150_000,
          );
        }),
      ]).finally(() => clearTimeout(timer));
      const marks = output.filter((line) => /^[✔✘] /.test(line));
      assertEquals(marks.length, 4, `one line per service:\n${log()}`);
      assert(marks.every((line) => line.startsWith("✔")), `all four healthy:\n${log()}`);
      assert(
        output.some((l) => l.includes(`Open the UI at http://localhost:${ports.ui}`)),
        "the launcher names the UI's port from the environment",
      );
      started = descendants(launcher.pid);
      assert(started.length >= 4, `the launcher started four services (found ${started})`);

      // The built-in agents, registered by the orchestrator from A2A_AGENT_URL / API_AGENT_URL.
      const api = env.ORCHESTRATOR_URL;
      const agents = await until(
        async () => {
          const list: Json[] = await (await fetch(`${api}/api/agents`)).json();
          const active = list.filter((a) => a.status === "active");
          const endpoints = active.map((a) => String(a.endpoint).replace(/\/+$/, ""));
          return endpoints.includes(env.A2A_AGENT_URL) && endpoints.includes(env.API_AGENT_URL)
            ? active
            : undefined;
        },
        "both built-in agents to be registered and active",
        30_000,
      );
      assert(agents.length >= 2);

      // The seed's curl example.
      const created = await fetch(`${api}/api/tasks`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          description: "Research recent AI developments",
          user_id: "test_user",
        }),
      });
      const task: Json = await created.json();
      assertEquals(created.status, 201, JSON.stringify(task));
      assertEquals(task.task_id, 1);
      const done = await until(
        async () => {
          const body: Json = await (await fetch(`${api}/api/tasks/1`)).json();
          if (body.status === "failed" || body.status === "cancelled") {
            throw new Error(`task ended ${body.status}: ${JSON.stringify(body)}`);
          }
          return body.status === "completed" ? body : undefined;
        },
        "task 1 to complete",
        60_000,
      ).catch((error) => {
        throw new Error(`${error.message}\n${log()}`);
      });
      assert(done.steps.length > 0, "the task had steps");
      assert(done.steps.every((s: Json) => s.status === "completed"), JSON.stringify(done.steps));
      assert(done.result?.summary, "the task has a summary");

      // The UI.
      const page = await fetch(`http://127.0.0.1:${ports.ui}/`);
      const html = await page.text();
      assertEquals(page.status, 200, html.slice(0, 500));

      // Ctrl-C: every process the launcher started is gone within 15 s.
      started = descendants(launcher.pid);
      launcher.kill("SIGINT");
      let exitTimer: ReturnType<typeof setTimeout> | undefined;
      const status = await Promise.race([
        launcher.status,
        new Promise<null>((resolve) => (exitTimer = setTimeout(() => resolve(null), 15_000))),
      ]).finally(() => clearTimeout(exitTimer));
      assert(status !== null, `the launcher did not exit within 15 s of SIGINT:\n${log()}`);
      assertEquals(status.code, 0, log());
      await until(
        () => Promise.resolve(started.some(alive) ? undefined : true),
        "the launcher's children to exit",
        2_000,
      ).catch(() => {
        throw new Error(`still running after SIGINT: ${started.filter(alive).join(", ")}`);
      });
      for (const [name, port] of Object.entries(ports)) {
        assert(!(await listening(port)), `${name} still listens on ${port} after SIGINT`);
      }
      assert(output.some((l) => l.includes("all services stopped")), log());
    } finally {
      // On failure, leave nothing behind: the processes this test's launcher started, by pid.
      if (!launcherDone) started = [...new Set([...started, ...descendants(launcher.pid)])];
      for (const pid of started.filter(alive)) {
        try {
          Deno.kill(pid, "SIGKILL");
        } catch { /* gone */ }
      }
      try {
        launcher.kill("SIGKILL");
      } catch { /* gone */ }
      await launcher.status;
      await pumps;
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
});
