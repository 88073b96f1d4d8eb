/**
 * The UI shows a running step's partial output as the agent streams it: in real Chromium, the
 * task page of a task on the built-in A2A agent (slowed per graph node) shows the agent's
 * latest status under the running step, live, and drops it when the step completes. Skips,
 * and says so, where /usr/bin/chromium is not installed.
 */
import { chromium } from "playwright-core";
import { assertMatch } from "@app/lib/assert";
import { openTestDatabase } from "@app/db/testing";
import { parseConfig, silentLogger } from "@app/lib";
import { createApp as createA2aAgent } from "../agents/a2a/app.ts";
import { freePort } from "./helpers/free_port.ts";
import { startOrchestrator } from "./helpers/orchestrator.ts";
import { startUiProcess } from "./ui_stack.ts";
import { CHROMIUM, CHROMIUM_ARGS, haveChromium } from "./helpers/chromium.ts";

if (!haveChromium) console.log(`[ui] progress browser test skipped: ${CHROMIUM} is not installed`);

Deno.test({
  name: "[ui] in Chromium: a running step shows its agent's streamed progress, live",
  ignore: !haveChromium,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const database = await openTestDatabase("sqlite");
    const port = freePort();
    const base = `http://127.0.0.1:${port}`;
    const agent = createA2aAgent({
      config: parseConfig({ LLM_PROVIDER: "offline" }),
      logger: silentLogger,
      llm: null,
      db: database.db,
      publicUrl: base,
      nodeDelayMs: 700,
    });
    const server = Deno.serve({ port, hostname: "127.0.0.1", onListen() {} }, agent.fetch);
    const orch = await startOrchestrator(database.url);
    const ui = await startUiProcess(orch.url);
    const profile = await Deno.makeTempDir({ prefix: "ui-progress-chromium-" });
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    try {
      await orch.api("/api/agents", { method: "POST", json: { url: base } });
      const created = await orch.api<{ task_id: number }>("/api/tasks", {
        method: "POST",
        json: { description: "Research streaming in the browser" },
      });
      const page = context.pages()[0] ?? await context.newPage();
      page.setDefaultTimeout(20_000);
      await page.goto(`${ui.url}/tasks/${created.body.task_id}`);
      await page.waitForSelector('[data-island="task_timeline"][data-hydrated="true"]');

      // Under the running step, the agent's status as it moves through the graph's nodes.
      const partial = page.locator('[data-step="1"] [data-progress-step="1"]');
      await partial.waitFor();
      assertMatch(await partial.innerText(), /^(Research started\.|\w+ (started|finished))/);
      await page.locator('[data-step="1"].step-completed').waitFor();
      await partial.waitFor({ state: "detached" });
    } finally {
      await context.close();
      await ui.kill("SIGTERM");
      await orch.close();
      await server.shutdown();
      await database.close();
    }
  },
});
