/** The UI app on its own: error pages, static files, the islands build. */
import { assert, assertEquals, assertStringIncludes } from "@app/lib/assert";
import { parseConfig, silentLogger } from "@app/lib";
import { createApp } from "./app.ts";
import { buildIslands, listIslands } from "./build.ts";
import parsePrometheus from "parse-prometheus-text-format";

let built: Promise<string> | undefined;
const islandsDir = () =>
  built ??= Deno.makeTempDir({ prefix: "ui-app-test-" })
    .then((dir) => buildIslands({ outDir: `${dir}/islands` }))
    .then((result) => result.outDir);

Deno.test({
  name: "[ui] an unreachable orchestrator gives a readable 502 page; static files still load",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const app = createApp({
      config: parseConfig({}),
      logger: silentLogger,
      orchestratorUrl: "http://127.0.0.1:9", // the discard port: nothing answers
      islandsDir: await islandsDir(),
    });
    const page = await app.request("/");
    assertEquals(page.status, 502);
    assertStringIncludes(await page.text(), "Orchestrator unreachable");
    const api = await app.request("/api/agents");
    assertEquals(api.status, 502);
    assertEquals((await api.json()).error.code, "orchestrator_unreachable");
    const css = await app.request("/static/styles.css");
    assertEquals(css.status, 200);
    assertStringIncludes(css.headers.get("content-type")!, "text/css");
    assertEquals((await app.request("/static/icon.svg")).status, 200);
    assertEquals((await app.request("/islands/conversation.js")).status, 200);
    assertEquals((await app.request("/static/..%2Fapp.ts")).status, 404);
    assertEquals((await app.request("/static/app.ts")).status, 404);
  },
});

Deno.test({
  name: "[ui] the build makes one bundle per island, sharing Preact in a chunk",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dir = await islandsDir();
    const files = [...Deno.readDirSync(dir)].map((entry) => entry.name).sort();
    const islands = await listIslands();
    assertEquals(islands, ["agents_panel", "conversation", "home", "task_timeline"]);
    for (const island of islands) assert(files.includes(`${island}.js`), `${island}.js built`);
    const chunks = files.filter((name) => /^chunk-\w+\.js$/.test(name));
    assert(chunks.length > 0, "a shared chunk");
    const preact = chunks.filter((name) => Deno.readTextFileSync(`${dir}/${name}`).includes("__H") // Preact's hooks slot
    );
    assertEquals(preact.length, 1, "Preact is bundled once, not per island");
  },
});

Deno.test({
  name: "[ui] /metrics is Prometheus text a parser reads, timing requests by route",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const app = createApp({ config: parseConfig({}), logger: silentLogger, orchestratorUrl: "" });
    await (await app.request("/health")).body?.cancel();
    const response = await app.request("/metrics");
    assertEquals(response.status, 200);
    const text = await response.text();
    const families = parsePrometheus(text) as { name: string; type: string }[];
    const http = families.find((f) => f.name === "http_server_request_duration_seconds");
    assertEquals(http?.type, "HISTOGRAM");
    assertStringIncludes(
      text,
      'http_server_request_duration_seconds_count{method="GET",route="/health",status="200"} 1',
    );
    assert(families.some((f) => f.name === "process_resident_memory_bytes"));
  },
});
