/**
 * The tasks page (issue 19), in Chromium, light, dark and on a 390-px phone: every task, then
 * filtered by status, by agent and by time, and searched by words of the request; the choices
 * stay in the form. axe finds nothing serious. Skips without Chromium.
 */
import { assertEquals } from "@app/lib/assert";
import {
  assertPageSound,
  CHROMIUM,
  haveChromium,
  inEachView,
  launchBrowser,
} from "./helpers/browser_views.ts";
import { registerScriptedAgent, startScriptedAgent } from "./helpers/scripted_agent.ts";
import { startUiStack } from "./ui_stack.ts";

if (!haveChromium) console.log(`[ui] tasks page browser test skipped: no ${CHROMIUM}`);

Deno.test({
  name: "[ui] tasks page in Chromium: all tasks, filters by status, agent and time, search",
  ignore: !haveChromium,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const stack = await startUiStack({
      behave: ({ instruction }) => /doomed/i.test(instruction) ? { status: 400 } : undefined,
    });
    const analyst = startScriptedAgent({ name: "Analyst", capabilities: ["extraction"] });
    const browser = await launchBrowser();
    try {
      await registerScriptedAgent(stack.orch, analyst);
      const ids: Record<string, number> = {};
      for (
        const description of [
          "Research tidal power",
          "Extract the dates from: 5 June 1833",
          "Research doomed kelp",
        ]
      ) {
        const { body } = await stack.orch.api<{ task_id: number }>("/api/tasks", {
          method: "POST",
          json: { description, user_id: "tasks-user" },
        });
        ids[description] = body.task_id;
        await stack.orch.waitForTask(body.task_id);
      }
      const all = Object.values(ids).reverse(); // newest first
      await inEachView(browser, async (page, view) => {
        const shown = () =>
          page.locator(".task-row").evaluateAll((rows) =>
            rows.map((row) => Number(row.getAttribute("data-task-id")))
          );
        await page.goto(`${stack.ui}/tasks`);
        assertEquals(await shown(), all);
        await assertPageSound(page, `${view.name} tasks`);

        await page.getByLabel("Status").selectOption("failed");
        await page.getByRole("button", { name: "Filter" }).click();
        await page.waitForURL(/status=failed/);
        assertEquals(await shown(), [ids["Research doomed kelp"]]);
        await page.getByRole("link", { name: "Clear filters" }).click();

        await page.getByLabel("Agent").selectOption({ label: "Analyst" });
        await page.getByRole("button", { name: "Filter" }).click();
        await page.waitForURL(/agent_id=\d+/);
        assertEquals(await shown(), [ids["Extract the dates from: 5 June 1833"]]);
        await page.getByRole("link", { name: "Clear filters" }).click();

        await page.getByRole("searchbox", { name: "Search" }).fill("TIDAL");
        await page.getByLabel("Created").selectOption("1h");
        await page.getByRole("button", { name: "Filter" }).click();
        await page.waitForURL(/q=TIDAL/);
        assertEquals(await shown(), [ids["Research tidal power"]]);
        assertEquals(await page.getByLabel("Created").inputValue(), "1h");
        await assertPageSound(page, `${view.name} filtered tasks`);
      });
    } finally {
      await browser.close();
      await analyst.close();
      await stack.close();
    }
  },
});
