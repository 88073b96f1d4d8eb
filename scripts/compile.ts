/**
 * `deno task compile`: one standalone binary per service in dist/ (or --out=DIR).
 *
 *   deno run -A scripts/compile.ts [--out=DIR] [--target=TRIPLE] [service...]
 *
 * With no service named, all four are built. The UI's islands are bundled first (ui/build.ts)
 * and ui/static/ (styles, icon, island bundles) is embedded in the UI binary, which never builds
 * at run time. Each binary gets the same narrow permissions as its `deno task`, less what only
 * development needs. A binary reads `.env` from its working directory at start-up, as
 * `deno task <service>` does; real environment variables win.
 *
 * `deno compile` needs Deno's runtime (denort) for the target, which it downloads from
 * dl.deno.land unless DENORT_BIN names a local copy of the same version. Where that cannot be
 * had, this script says so and exits with code 3.
 */
import { buildIslands } from "../ui/build.ts";

export interface CompileTarget {
  name: string;
  main: string;
  permissions: string[];
  include: string[];
}

const BASE = ["--allow-net", "--allow-env", "--allow-read", "--allow-sys"];

/** Mirrors the per-service tasks in deno.json. */
export const TARGETS: CompileTarget[] = [
  {
    name: "orchestrator",
    main: "orchestrator/main.ts",
    // --allow-write: the SQLite database file (and its -wal/-shm companions).
    permissions: [...BASE, "--allow-write"],
    include: [],
  },
  // The offline graph runs on worker threads, whose module a binary must carry.
  {
    name: "a2a-agent",
    main: "agents/a2a/main.ts",
    // --allow-write: its A2A tasks are in the SQLite database file too.
    permissions: [...BASE, "--allow-write"],
    include: ["agents/a2a/graph/worker.ts"],
  },
  {
    name: "api-agent",
    main: "agents/api/main.ts",
    // --allow-write: its answers by idempotency key are in the SQLite database file too.
    permissions: [...BASE, "--allow-write"],
    include: [],
  },
  {
    name: "ui",
    main: "ui/main.ts",
    // The task also has --allow-write and --allow-run, but only to build islands, which a
    // compiled binary never does (Deno.build.standalone): it serves the embedded ui/static/.
    permissions: BASE,
    include: ["ui/static"],
  },
];

/** What `deno compile` prints when it cannot fetch the runtime it builds binaries from. */
export const DENORT_UNAVAILABLE =
  /Setting up base binary|dl\.deno\.land|denort-[\w-]+\.zip|DENORT_BIN/;

export const ROOT = decodeURIComponent(new URL("../", import.meta.url).pathname);

export class DenortUnavailableError extends Error {
  override name = "DenortUnavailableError";
}

/** Runs `deno compile` for one target; throws DenortUnavailableError if denort can't be had. */
export async function compileTarget(
  target: CompileTarget,
  outDir: string,
  options: { targetTriple?: string } = {},
): Promise<{ output: string; ms: number; bytes: number }> {
  const started = performance.now();
  const output = `${outDir.replace(/\/+$/, "")}/${target.name}`;
  const args = [
    "compile",
    "--quiet",
    ...target.permissions,
    ...target.include.map((path) => `--include=${path}`),
    ...(options.targetTriple ? [`--target=${options.targetTriple}`] : []),
    `--output=${output}`,
    target.main,
  ];
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdout: "inherit",
    stderr: "piped",
  }).output();
  // Without the empty backtrace Deno appends.
  const errors = new TextDecoder().decode(stderr).replace(/\n*Stack backtrace:[\s\S]*$/, "");
  if (code !== 0) {
    if (DENORT_UNAVAILABLE.test(errors)) {
      throw new DenortUnavailableError(
        `deno compile could not get its runtime (denort) for Deno ${Deno.version.deno}: it ` +
          `downloads it from dl.deno.land, which this machine cannot reach. Run this where ` +
          `dl.deno.land is reachable, or set DENORT_BIN to a local denort ${Deno.version.deno} ` +
          `binary.\n${errors.trim()}`,
      );
    }
    throw new Error(`deno compile ${target.main} failed (exit ${code}):\n${errors.trim()}`);
  }
  const bytes = (await Deno.stat(output)).size;
  return { output, ms: Math.round(performance.now() - started), bytes };
}

function parseArgs(args: string[]) {
  const option = (name: string) =>
    args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
  const names = args.filter((arg) => !arg.startsWith("--"));
  const unknown = names.filter((name) => !TARGETS.some((t) => t.name === name));
  if (unknown.length) {
    throw new Error(
      `unknown service ${unknown.join(", ")}; choose from ${TARGETS.map((t) => t.name).join(", ")}`,
    );
  }
  return {
    outDir: option("out") ?? `${ROOT}dist`,
    targetTriple: option("target"),
    targets: names.length ? TARGETS.filter((t) => names.includes(t.name)) : TARGETS,
  };
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs(Deno.args);
  } catch (error) {
    console.error(`compile: ${(error as Error).message}`);
    return 2;
  }
  const { outDir, targetTriple, targets } = parsed;
  await Deno.mkdir(outDir, { recursive: true });

  if (targets.some((t) => t.include.includes("ui/static"))) {
    console.log("• ui islands: bundling into ui/static/islands/ ...");
    const built = await buildIslands();
    console.log(`✔ ui islands: ${built.islands.join(", ")} in ${built.ms} ms`);
  }

  const done: string[] = [];
  for (const target of targets) {
    console.log(`• ${target.name}: deno compile ${target.permissions.join(" ")} ${target.main}`);
    try {
      const result = await compileTarget(target, outDir, { targetTriple });
      const mb = (result.bytes / 1024 / 1024).toFixed(1);
      console.log(`✔ ${target.name}: ${result.output} (${mb} MB, ${result.ms} ms)`);
      done.push(result.output);
    } catch (error) {
      console.error(`✘ ${target.name}: ${(error as Error).message}`);
      console.error(`\ncompiled ${done.length} of ${targets.length} binaries; stopped.`);
      return error instanceof DenortUnavailableError ? 3 : 1;
    }
  }
  console.log(`\ncompiled ${done.length} of ${targets.length} binaries into ${outDir}:`);
  for (const output of done) console.log(`  ${output}`);
  console.log("each reads .env from its working directory; real environment variables win.");
  return 0;
}

if (import.meta.main) Deno.exit(await main());
