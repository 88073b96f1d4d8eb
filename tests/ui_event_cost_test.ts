/**
 * What following a big task costs the browser (issue 19: a 183-step task re-read 825 KB per
 * event): the page now applies each event to its state, so it receives the event stream and
 * nothing else, instead of the whole task once per event. Measured on a real 183-step task.
 */
import { assert, assertEquals } from "@app/lib/assert";
import { haveChromium, hydrated, launchBrowser } from "./helpers/browser_views.ts";
import { readSse } from "./helpers/sse.ts";
import { startUiStack } from "./ui_stack.ts";

const STEPS = 183;

Deno.test({
  name: `[ui] a ${STEPS}-step task: the event stream costs a small part of re-reading per event`,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const stack = await startUiStack();
    try {
      const request = Array.from({ length: STEPS }, (_, i) => `research topic ${i + 1}`)
        .join(" and ");
      const { body: created } = await stack.orch.api<{ task_id: number }>("/api/tasks", {
        method: "POST",
        json: { description: request, user_id: "big" },
      });
      const task = await stack.orch.waitForTask(created.task_id, 120_000);
      assertEquals((task.steps as unknown[]).length, STEPS);
      // Through the UI's proxy, as the browser reads them.
      const taskBytes = (await (await fetch(`${stack.ui}/api/tasks/${created.task_id}`)).text())
        .length;
      const events = await readSse(`${stack.ui}/api/tasks/${created.task_id}/events`, {
        timeoutMs: 60_000,
      });
      const streamBytes = events.reduce((n, e) => n + e.data.length, 0);
      const rereadBytes = taskBytes * events.length;
      console.log(
        `[ui] ${STEPS} steps: task ${taskBytes} B, ${events.length} events, stream ${streamBytes} B; ` +
          `a re-read per event would be ${rereadBytes} B (${
            Math.round(rereadBytes / streamBytes)
          }x)`,
      );
      assert(streamBytes * 50 < rereadBytes, "the stream is far cheaper than re-reading");
    } finally {
      await stack.close();
    }
  },
});

Deno.test({
  name:
    `[ui] in Chromium: a running ${STEPS}-step task's page follows it reading it once, at its end`,
  ignore: !haveChromium,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const stack = await startUiStack({ agentDelayMs: 40 });
    const browser = await launchBrowser();
    try {
      const request = Array.from({ length: STEPS }, (_, i) => `research topic ${i + 1}`)
        .join(" and ");
      const { body: created } = await stack.orch.api<{ task_id: number }>("/api/tasks", {
        method: "POST",
        json: { description: request, user_id: "big" },
      });
      const id = created.task_id;
      const page = await browser.newPage();
      page.setDefaultTimeout(120_000);
      let reads = 0;
      page.on("request", (r) => {
        if (new URL(r.url()).pathname === `/api/tasks/${id}`) reads++;
      });
      const finalRead = page.waitForResponse((r) =>
        new URL(r.url()).pathname === `/api/tasks/${id}`
      );
      await page.goto(`${stack.ui}/tasks/${id}`);
      await hydrated(page, "task_timeline");
      await page.waitForSelector('.task-detail[data-status="completed"]');
      assertEquals(
        await page.locator('svg.plan-graph [data-step-number][data-status="completed"]').count(),
        STEPS,
      );
      await finalRead;
      // Once at its end (tokens and cost), never per event (369 of them).
      assertEquals(reads, 1, "the task was read once, at its end");
    } finally {
      await browser.close();
      await stack.close();
    }
  },
});
