/**
 * Builds the islands for the browser with `deno bundle`: one small entry per file in islands/
 * that hydrates it, bundled together with code splitting, so Preact is one shared chunk and a
 * page loads only the islands it uses. Output goes to static/islands/ unless told otherwise.
 *
 *   deno run -A ui/build.ts [outDir]     ahead of time, e.g. before `deno compile`
 */
const UI_DIR = new URL("./", import.meta.url);
const ROOT_CONFIG = new URL("../deno.json", import.meta.url);
const path = (url: URL) => decodeURIComponent(url.pathname);

export const DEFAULT_ISLANDS_DIR = path(new URL("./static/islands/", UI_DIR));

/** The islands: every .tsx file in ui/islands/, named by its file name. */
export async function listIslands(): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(new URL("./islands/", UI_DIR))) {
    if (entry.isFile && entry.name.endsWith(".tsx") && !entry.name.endsWith("_test.tsx")) {
      names.push(entry.name.slice(0, -4));
    }
  }
  return names.sort();
}

export interface BuildResult {
  outDir: string;
  islands: string[];
  ms: number;
}

export async function buildIslands(
  options: { outDir?: string; minify?: boolean } = {},
): Promise<BuildResult> {
  const started = performance.now();
  const outDir = (options.outDir ?? DEFAULT_ISLANDS_DIR).replace(/\/+$/, "");
  const islands = await listIslands();
  const entries = await Deno.makeTempDir({ prefix: "ui-islands-entries-" });
  // Build beside the target and swap it in, so a running server never serves half a build.
  const staging = `${outDir}.staging-${crypto.randomUUID().slice(0, 8)}`;
  try {
    const hydrate = new URL("./client/hydrate.ts", UI_DIR).href;
    const files = await Promise.all(islands.map(async (name) => {
      const file = `${entries}/${name}.ts`;
      const island = new URL(`./islands/${name}.tsx`, UI_DIR).href;
      await Deno.writeTextFile(
        file,
        `import Island from "${island}";\nimport { hydrateIsland } from "${hydrate}";\n` +
          `hydrateIsland(${JSON.stringify(name)}, Island);\n`,
      );
      return file;
    }));
    const args = [
      "bundle",
      "--quiet",
      "--platform=browser",
      "--format=esm",
      "--code-splitting",
      `--config=${path(ROOT_CONFIG)}`,
      `--outdir=${staging}`,
      ...(options.minify === false ? [] : ["--minify"]),
      ...files,
    ];
    const { code, stderr } = await new Deno.Command(Deno.execPath(), {
      args,
      stdout: "null",
      stderr: "piped",
    }).output();
    if (code !== 0) {
      throw new Error(`deno bundle failed (${code}):\n${new TextDecoder().decode(stderr)}`);
    }
    await Deno.remove(outDir, { recursive: true }).catch(() => {});
    await Deno.rename(staging, outDir);
  } finally {
    await Deno.remove(entries, { recursive: true }).catch(() => {});
    await Deno.remove(staging, { recursive: true }).catch(() => {});
  }
  return { outDir, islands, ms: Math.round(performance.now() - started) };
}

/** Rebuilds whenever a file the islands are made of changes (dev only). */
export async function watchIslands(
  onBuild: (result: BuildResult | Error) => void,
  options: { outDir?: string; signal?: AbortSignal } = {},
): Promise<void> {
  const watcher = Deno.watchFs(
    ["islands", "components", "client"].map((dir) => path(new URL(`./${dir}/`, UI_DIR))),
  );
  options.signal?.addEventListener("abort", () => watcher.close());
  let timer: ReturnType<typeof setTimeout> | undefined;
  for await (const event of watcher) {
    if (!event.paths.some((p) => /\.tsx?$/.test(p))) continue;
    clearTimeout(timer);
    timer = setTimeout(() => {
      buildIslands({ outDir: options.outDir }).then(onBuild, onBuild);
    }, 150);
  }
  clearTimeout(timer);
}

if (import.meta.main) {
  const result = await buildIslands({ outDir: Deno.args[0] });
  console.log(`built ${result.islands.join(", ")} into ${result.outDir} in ${result.ms} ms`);
}
