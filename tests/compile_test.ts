/**
 * `deno task compile` end to end: compiles the API agent and the UI into a temp dir, runs each
 * binary from a folder whose `.env` sets its port and host, and calls it. `deno compile` needs
 * Deno's runtime (denort), which it downloads from dl.deno.land; where that cannot be reached the
 * tests are ignored and say why.
 */
import { assert, assertEquals, assertStringIncludes } from "@app/lib/assert";
import { listeningUrl, readLines } from "../scripts/service_process.ts";

const ROOT = decodeURIComponent(new URL("../", import.meta.url).pathname);
const SKIP_REASON =
  "deno compile needs to download denort from dl.deno.land, which this machine cannot reach";

/** Compiles a one-line program: false if denort cannot be had (download error or time-out). */
async function canCompile(): Promise<boolean> {
  const dir = await Deno.makeTempDir({ prefix: "compile-probe-" });
  try {
    await Deno.writeTextFile(`${dir}/probe.ts`, `console.log("ok");\n`);
    const child = new Deno.Command(Deno.execPath(), {
      args: ["compile", "--quiet", `--output=${dir}/probe`, `${dir}/probe.ts`],
      cwd: dir,
      env: { NO_COLOR: "1" },
      stdout: "null",
      stderr: "piped",
    }).spawn();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        child.kill("SIGKILL");
      } catch { /* done */ }
    }, 60_000);
    const { code, stderr } = await child.output();
    clearTimeout(timer);
    if (timedOut) return false;
    const text = new TextDecoder().decode(stderr);
    if (code !== 0 && /Setting up base binary|dl\.deno\.land|denort/.test(text)) return false;
    // Any other failure is the test's to report.
    if (code !== 0) return true;
    const run = await new Deno.Command(`${dir}/probe`, { stdout: "piped" }).output();
    return new TextDecoder().decode(run.stdout).trim() === "ok";
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

const available = await canCompile();
if (!available) console.log(`compile tests ignored: ${SKIP_REASON}`);

/** Runs a compiled binary in `cwd` and resolves with the URL of its "listening" log line. */
async function runBinary(path: string, cwd: string, timeoutMs = 20_000) {
  const child = new Deno.Command(path, {
    cwd,
    // Only what a shell would have: the ports and host come from cwd's .env.
    clearEnv: true,
    env: { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output: string[] = [];
  let found: (url: string) => void;
  const listening = new Promise<string>((resolve) => (found = resolve));
  const collect = (line: string) => {
    output.push(line);
    const url = listeningUrl(line);
    if (url) found(url);
  };
  const pumps = Promise.all([readLines(child.stdout, collect), readLines(child.stderr, collect)])
    .catch(() => {});
  let timer: ReturnType<typeof setTimeout> | undefined;
  const url = await Promise.race([
    listening,
    child.status.then((s) => {
      throw new Error(`${path} exited with ${s.code} before listening:\n${output.join("\n")}`);
    }),
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${path} did not listen in ${timeoutMs} ms:\n${output.join("\n")}`)),
        timeoutMs,
      );
    }),
  ]).finally(() => clearTimeout(timer));
  return {
    url: url.replace("0.0.0.0", "127.0.0.1"),
    output,
    async stop() {
      try {
        child.kill("SIGTERM");
      } catch { /* gone */ }
      const status = await child.status;
      await pumps;
      return status;
    },
  };
}

Deno.test({
  name: "[compile] api-agent and ui binaries start from a folder's .env and answer",
  ignore: !available,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dist = await Deno.makeTempDir({ prefix: "compile-dist-" });
    const workdir = await Deno.makeTempDir({ prefix: "compile-run-" });
    try {
      const compile = await new Deno.Command(Deno.execPath(), {
        args: ["run", "--allow-all", "scripts/compile.ts", `--out=${dist}`, "api-agent", "ui"],
        cwd: ROOT,
        stdout: "piped",
        stderr: "piped",
      }).output();
      const log = new TextDecoder().decode(compile.stdout) +
        new TextDecoder().decode(compile.stderr);
      assertEquals(compile.code, 0, `deno task compile failed:\n${log}`);
      assertStringIncludes(log, "compiled 2 of 2 binaries");

      // The binaries read .env from their working directory.
      await Deno.writeTextFile(
        `${workdir}/.env`,
        "HOST=127.0.0.1\nAPI_AGENT_PORT=0\nUI_PORT=0\nLOG_LEVEL=info\n" +
          "ORCHESTRATOR_URL=http://127.0.0.1:9\n",
      );

      const agent = await runBinary(`${dist}/api-agent`, workdir);
      try {
        const health = await fetch(`${agent.url}/health`);
        assertEquals(health.status, 200);
        const body = await health.json();
        assert(typeof body === "object" && body !== null, "health answers JSON");
        const summary = await fetch(`${agent.url}/api/process`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            operation: "analyze",
            input: "numbers",
            data: { values: [1, 2, 3, 4] },
          }),
        });
        await summary.body?.cancel();
        assert(summary.status < 500, `api-agent answered ${summary.status}`);
      } finally {
        assertEquals((await agent.stop()).code, 0);
      }

      // The UI serves its embedded static files and island bundles without building them.
      const ui = await runBinary(`${dist}/ui`, workdir);
      try {
        const css = await fetch(`${ui.url}/static/styles.css`);
        assertEquals(css.status, 200);
        assertStringIncludes(css.headers.get("content-type") ?? "", "text/css");
        await css.body?.cancel();
        const islands = [...Deno.readDirSync(`${ROOT}ui/static/islands`)]
          .filter((e) => e.isFile && e.name.endsWith(".js") && !e.name.startsWith("chunk-"));
        assert(islands.length > 0, "ui/static/islands has bundles after compile");
        const island = await fetch(`${ui.url}/islands/${islands[0].name}`);
        assertEquals(island.status, 200);
        await island.body?.cancel();
        assert(!ui.output.some((l) => l.includes("islands built")), "a binary never builds");
      } finally {
        assertEquals((await ui.stop()).code, 0);
      }
    } finally {
      await Deno.remove(dist, { recursive: true }).catch(() => {});
      await Deno.remove(workdir, { recursive: true }).catch(() => {});
    }
  },
});
