/**
 * The plan as a live graph (issue 19), in Chromium, light, dark and on a 390-px phone: the task
 * page draws the steps as SVG nodes (coloured by status, `data-step-number`), edges from the
 * dependencies (`data-from`/`data-to`), the two parallel research steps side by side; under it
 * each step's attempts (queued, running, retry with its error and delay, done); a click on a
 * step shows its input, output, attempts and agent. While it runs, the page applies each event
 * to its state: the task is never re-read. axe-core finds nothing serious.
 */
import { assert, assertEquals, assertMatch, assertStringIncludes } from "@app/lib/assert";
import {
  assertPageSound,
  CHROMIUM,
  haveChromium,
  hydrated,
  inEachView,
  launchBrowser,
} from "./helpers/browser_views.ts";
import { startUiStack } from "./ui_stack.ts";

if (!haveChromium) console.log(`[ui] plan graph browser test skipped: no ${CHROMIUM}`);

const REQUEST = "Research solar power and research wind power, then summarize both";

Deno.test({
  name: "[ui] plan graph in Chromium: nodes, edges, parallel branches, attempts, step details",
  ignore: !haveChromium,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    // Slow enough to be seen running; the wind step's first call fails (503: retried).
    const stack = await startUiStack({
      agentDelayMs: 700,
      behave: ({ n, instruction }) =>
        /wind/i.test(instruction) && n === 1
          ? { status: 503, body: '{"error":"busy"}' }
          : undefined,
    });
    const browser = await launchBrowser();
    try {
      await inEachView(browser, async (page, view) => {
        stack.agent.calls.clear();
        const { body: created } = await stack.orch.api<{ task_id: number }>("/api/tasks", {
          method: "POST",
          json: { description: REQUEST, user_id: `plan-${view.name}` },
        });
        const id = created.task_id;
        const taskReads: string[] = [];
        page.on("request", (request) => {
          const path = new URL(request.url()).pathname;
          if (path === `/api/tasks/${id}`) taskReads.push(path);
        });
        const finalRead = page.waitForResponse((r) =>
          new URL(r.url()).pathname === `/api/tasks/${id}`
        );
        await page.goto(`${stack.ui}/tasks/${id}`);
        await hydrated(page, "task_timeline");

        // Nodes and edges: 1 and 2 side by side, 3 below both.
        const nodes = page.locator("svg.plan-graph [data-step-number]");
        assertEquals(await nodes.count(), 3);
        for (const from of [1, 2]) {
          assertEquals(
            await page.locator(`path.edge[data-from="${from}"][data-to="3"]`).count(),
            1,
          );
        }
        assertEquals(await page.locator("path.edge").count(), 2);
        const box = async (n: number) =>
          (await page.locator(`[data-step-number="${n}"] rect`).boundingBox())!;
        const [b1, b2, b3] = [await box(1), await box(2), await box(3)];
        assertEquals(Math.round(b1.y), Math.round(b2.y), "parallel steps share a row");
        assert(b2.x > b1.x + b1.width - 1, "side by side");
        assert(b3.y > b1.y + b1.height, "the summary comes below");

        // Live: a running node, with a ticking timer on its card.
        await page.locator('[data-step-number][data-status="running"]').first().waitFor();
        await page.locator('.timeline-step .elapsed[data-elapsed="running"]').first().waitFor();
        await page.waitForSelector('.task-detail[data-status="completed"]');
        assertEquals(
          await page.locator('svg.plan-graph [data-step-number][data-status="completed"]').count(),
          3,
        );
        // Coloured by status: a completed node is filled like the completed badge.
        const sameColour = await page.evaluate<boolean>(
          `getComputedStyle(document.querySelector('.node-completed rect')).fill ===
           getComputedStyle(document.querySelector('.badge-completed')).backgroundColor`,
        );
        assert(sameColour, `${view.name}: a completed node has the completed colour`);

        // The attempts of the wind step: queued, running, retry (its error and delay), done.
        const wind = page.locator('[data-attempts-step="2"] .attempt');
        await page.locator('[data-attempts-step="2"] .attempt[data-kind="done"]').waitFor();
        const kinds = await wind.evaluateAll((items) =>
          items.map((item) => item.getAttribute("data-kind"))
        );
        assertEquals(kinds, ["queued", "running", "retry", "done"]);
        const retry = await page.locator('[data-attempts-step="2"] [data-kind="retry"]')
          .innerText();
        assertMatch(retry, /retry #\d+ after \d+ ms — .*503/);

        // Clicking a step shows its input, output, attempts and agent.
        await page.locator('[data-step-number="2"]').click();
        const detail = page.locator('[data-detail-step="2"]');
        await detail.waitFor();
        assertStringIncludes(await detail.locator(".step-detail-agent").innerText(), "Researcher");
        assertStringIncludes(await detail.locator(".step-detail-attempts").innerText(), "503");
        assertStringIncludes(
          await detail.locator("details", { has: page.locator("summary", { hasText: /^Output/ }) })
            .innerText(),
          "Researcher handled",
        );
        assertStringIncludes(
          await detail.locator("details", { has: page.locator("summary", { hasText: /^Input/ }) })
            .innerText(),
          "{",
        );
        await assertPageSound(page, `${view.name} task page`);

        // Every change came from the events: the task was read once, when it ended (for
        // what no event carries: tokens and cost), never per event.
        await finalRead;
        assertEquals(taskReads.length, 1, `${view.name}: one read at the end, none per event`);
      });
    } finally {
      await browser.close();
      await stack.close();
    }
  },
});
