/**
 * Running steps feel live (issue 19), in Chromium, light, dark and on a 390-px phone: a
 * running step's timer ticks on its card; a running task is cancelled from its card; a failed
 * one is retried from the failed step (the completed step is not run again); a finished one is
 * edited and sent again. All on the session page without a reload; axe finds nothing serious.
 */
import { assert, assertEquals, assertNotEquals } from "@app/lib/assert";
import {
  assertPageSound,
  CHROMIUM,
  haveChromium,
  hydrated,
  inEachView,
  launchBrowser,
} from "./helpers/browser_views.ts";
import { startUiStack } from "./ui_stack.ts";

if (!haveChromium) console.log(`[ui] live cards browser test skipped: no ${CHROMIUM}`);

Deno.test({
  name: "[ui] live cards in Chromium: timers, cancel, retry from the failed step, edit and resend",
  ignore: !haveChromium,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    let broken = true;
    const stack = await startUiStack({
      behave: ({ instruction }) => {
        if (/forever/i.test(instruction)) return { hang: true };
        if (broken && /summar/i.test(instruction)) return { status: 400 };
        return { delayMs: 150 };
      },
    });
    const browser = await launchBrowser();
    try {
      await inEachView(browser, async (page, view) => {
        broken = true;
        const { body: session } = await stack.orch.api<{ session_id: string }>("/api/sessions", {
          method: "POST",
          json: { user_id: `live-${view.name}` },
        });
        await page.goto(`${stack.ui}/sessions/${session.session_id}`);
        await hydrated(page, "conversation");
        await page.evaluate("globalThis.__mark = 1");

        // A task whose second step fails: retried from step 2, the research is not redone.
        const request = `Research kelp farming in ${view.name}, then summarize it`;
        await page.getByLabel("Your request").fill(request);
        await page.getByRole("button", { name: "Send", exact: true }).click();
        const first = page.locator("article.task-card").first();
        await page.waitForSelector('article.task-card[data-status="failed"]');
        const research = () =>
          [...stack.agent.calls].filter(([i]) => /^research/i.test(i))
            .reduce((n, [, c]) => n + c, 0);
        const researchCalls = research();
        broken = false;
        await first.getByRole("button", { name: "Retry from step 2" }).click();
        await page.waitForSelector('article.task-card[data-status="completed"]');
        assertEquals(research(), researchCalls, "the completed step was not run again");

        // Edit and resend: the request comes back into the box, changed, sent as a new task.
        await first.getByRole("button", { name: "Edit and resend" }).click();
        const box = page.getByLabel("Your request");
        assertEquals(await box.inputValue(), request);
        assertEquals(await page.evaluate<string>("document.activeElement?.id"), "request");
        await box.fill(`${request} briefly`);
        await page.getByRole("button", { name: "Send", exact: true }).click();
        await page.locator("article.task-card").nth(1).waitFor();
        await page.waitForFunction(
          "document.querySelectorAll('article.task-card[data-status=\"completed\"]').length === 2",
        );
        const { body: tasks } = await stack.orch.api<{ description: string }[]>(
          `/api/tasks?session_id=${session.session_id}`,
        );
        assertEquals(tasks.map((t) => t.description), [`${request} briefly`, request]);

        // A running step's timer ticks; the task is cancelled from its card.
        await box.fill("Research a question that goes on forever");
        await page.getByRole("button", { name: "Send", exact: true }).click();
        const third = page.locator("article.task-card").nth(2);
        const timer = third.locator('.elapsed[data-elapsed="running"]');
        await timer.waitFor();
        const before = await timer.innerText();
        // Waits for the next tick (a string: this module has no DOM types).
        await page.waitForFunction(
          `document.querySelectorAll("article.task-card")[2]
            ?.querySelector('.elapsed[data-elapsed="running"]')?.textContent !== ${
            JSON.stringify(before)
          }`,
        );
        assertNotEquals(await timer.innerText(), before);
        await assertPageSound(page, `${view.name} session with a running task`);
        const id = await third.getAttribute("data-task-id");
        await third.getByRole("button", { name: `Cancel task #${id}` }).click();
        await page.waitForSelector(
          `article.task-card[data-task-id="${id}"][data-status="cancelled"]`,
        );
        assertEquals((await stack.orch.waitForTask(Number(id))).status, "cancelled");
        assert(await page.evaluate<boolean>("globalThis.__mark === 1"), "no reload");
      });
    } finally {
      await browser.close();
      await stack.close();
    }
  },
});
