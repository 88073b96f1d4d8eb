/**
 * Rendered answers (issue 19), in Chromium, light, dark and on a 390-px phone: a finished
 * analysis shows its summary as text, its insights as a list, its statistics as a table and
 * its numeric series as a uPlot chart, drawn from the project's own bundle (no request leaves
 * the UI's origin); on the task page and in the conversation. axe finds nothing serious.
 */
import { assert, assertEquals, assertStringIncludes } from "@app/lib/assert";
import {
  assertPageSound,
  CHROMIUM,
  haveChromium,
  hydrated,
  inEachView,
  launchBrowser,
} from "./helpers/browser_views.ts";
import { startUiStack } from "./ui_stack.ts";

if (!haveChromium) console.log(`[ui] answers browser test skipped: no ${CHROMIUM}`);

const REQUEST =
  "Analyze these monthly sales figures and tell me the trend: 120, 135, 128, 150, 171, 190";

Deno.test({
  name: "[ui] answers in Chromium: summary, insights list, statistics table, uPlot chart",
  ignore: !haveChromium,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const stack = await startUiStack({
      // What the analysis agent answers for numbers (agents/api/analyze.ts's shape).
      answer: () => ({
        operation: "analyze",
        summary: "Analyzed 6 values: mean 149, rising.",
        insights: ["The values rise overall", "The largest step is +21"],
        result: {
          data: {
            kind: "values",
            fields: {
              sales: {
                count: 6,
                mean: 149,
                median: 142.5,
                min: 120,
                max: 190,
                std_dev: 24.83,
                trend: { direction: "increasing", slope: 13.5 },
              },
            },
          },
        },
      }),
    });
    const browser = await launchBrowser();
    try {
      await inEachView(browser, async (page, view) => {
        const elsewhere: string[] = [];
        page.on("request", (request) => {
          if (!request.url().startsWith(stack.ui)) elsewhere.push(request.url());
        });
        const { body: created } = await stack.orch.api<{ task_id: number; session_id: string }>(
          "/api/tasks",
          { method: "POST", json: { description: REQUEST, user_id: `answers-${view.name}` } },
        );
        await stack.orch.waitForTask(created.task_id);
        for (const path of [`/tasks/${created.task_id}`, `/sessions/${created.session_id}`]) {
          await page.goto(stack.ui + path);
          await hydrated(page, path.startsWith("/tasks") ? "task_timeline" : "conversation");
          const answer = page.locator(".answer").first();
          assertStringIncludes(await answer.locator(".summary").innerText(), "mean 149");
          assertEquals(await answer.locator(".insights li").count(), 2);
          const table = answer.getByRole("table", { name: "Statistics" });
          const row = table.getByRole("row", { name: /sales/ });
          const cells = await row.locator("td").allInnerTexts();
          assertEquals(cells, ["6", "149", "142.50", "120", "190", "24.83", "increasing"]);
          const chart = answer.locator('.chart-frame[data-chart="drawn"]');
          await chart.waitFor();
          assertEquals(await chart.getAttribute("data-points"), "6");
          assertStringIncludes(
            (await chart.getAttribute("aria-label"))!,
            "120, 135, 128, 150, 171, 190",
          );
          assert((await chart.locator("canvas").count()) > 0, "uPlot drew on a canvas");
          const box = (await chart.boundingBox())!;
          assert(box.width <= view.width, `${view.name}: the chart fits`);
          await assertPageSound(page, `${view.name} ${path}`);
        }
        assertEquals(elsewhere, [], "nothing is loaded from another origin (no CDN)");
      });
    } finally {
      await browser.close();
      await stack.close();
    }
  },
});
