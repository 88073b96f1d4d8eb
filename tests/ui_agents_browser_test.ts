/**
 * The agents page (issue 19), in Chromium, light, dark and on a 390-px phone: each agent's
 * calls, success rate, p50/p95 latency and last error; a capability with no active agent is
 * flagged; a REST agent is registered by name, endpoint and capabilities (the flag goes), its
 * "last seen" is filled by a health check, and it is removed again. axe finds nothing serious.
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
import { startScriptedAgent } from "./helpers/scripted_agent.ts";
import { startUiStack } from "./ui_stack.ts";

if (!haveChromium) console.log(`[ui] agents page browser test skipped: no ${CHROMIUM}`);

Deno.test({
  name: "[ui] agents page in Chromium: numbers per agent, capability gaps, REST agents, last seen",
  ignore: !haveChromium,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const stack = await startUiStack({
      behave: ({ instruction }) =>
        /broken/i.test(instruction)
          ? { status: 400, body: '{"error":"no such topic"}' }
          : { delayMs: 30 },
    });
    const extractor = startScriptedAgent({ name: "Extractor", capabilities: ["extraction"] });
    const browser = await launchBrowser();
    try {
      for (const description of ["Research tides", "Research broken things"]) {
        const { body } = await stack.orch.api<{ task_id: number }>("/api/tasks", {
          method: "POST",
          json: { description, user_id: "agents-user" },
        });
        await stack.orch.waitForTask(body.task_id);
      }
      await inEachView(browser, async (page, view) => {
        await page.goto(`${stack.ui}/agents`);
        await hydrated(page, "agents_panel");
        const researcher = page.locator("li.agent", { hasText: "Researcher" });
        const fact = (name: string) => researcher.locator(`[data-fact="${name}"]`).innerText();
        assertEquals(await fact("calls"), "2");
        assertEquals(await fact("success"), "50%");
        assertMatch(await fact("p50"), /^\d+ ms$/);
        assertMatch(await fact("p95"), /^\d+ ms$/);
        assertStringIncludes(await fact("last-error"), "400");

        // No active agent extracts: flagged, in words.
        const extraction = page.locator('[data-capability="extraction"]');
        assertEquals(await extraction.getAttribute("data-covered"), "false");
        assertStringIncludes(await extraction.innerText(), "no active agent");
        await assertPageSound(page, `${view.name} agents`);

        // Register a REST agent by name, endpoint and capabilities.
        const name = `Extractor ${view.name}`;
        await page.getByLabel("REST").check();
        await page.getByLabel("Name", { exact: true }).fill(name);
        await page.getByLabel("Endpoint URL").fill(extractor.url);
        await page.getByLabel("Capabilities (comma-separated)").fill("extraction");
        await page.getByRole("button", { name: "Register", exact: true }).click();
        await page.getByRole("status").filter({ hasText: `Registered ${name}.` }).waitFor();
        const item = page.locator("li.agent", { hasText: name });
        assertStringIncludes(await item.innerText(), "api");

        // A health check fills "last seen"; the capability is served now.
        await item.getByRole("button", { name: `Check now: ${name}` }).click();
        await page.getByRole("status").filter({ hasText: `${name} is active` }).waitFor();
        const seen = await item.locator("dt:text-is('Last seen') + dd").innerText();
        assertMatch(seen, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
        assertEquals(await extraction.getAttribute("data-covered"), "true");
        await assertPageSound(page, `${view.name} agents after registering`);

        // Removed again: the gap is back for the next view.
        await item.getByRole("button", { name: `Remove ${name}` }).click();
        await item.waitFor({ state: "detached" });
        assertEquals(await extraction.getAttribute("data-covered"), "false");
        const { body: agents } = await stack.orch.api<{ name: string }[]>("/api/agents");
        assert(!agents.some((a) => a.name === name));
      });
    } finally {
      await browser.close();
      await extractor.close();
      await stack.close();
    }
  },
});
