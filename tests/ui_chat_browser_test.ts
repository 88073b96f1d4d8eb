/**
 * Chat first (issue 19), in Chromium, light, dark and on a 390-px phone: `/` opens on the
 * request box, focused, with examples from the agents' capabilities; sending creates the
 * session and its task (the name asked once, then remembered); conversations are named after
 * their first request, searchable, deletable, with relative times; a request over the limit is
 * refused with a visible counter. axe-core finds nothing serious. Skips without Chromium.
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

if (!haveChromium) console.log(`[ui] chat browser test skipped: no ${CHROMIUM}`);

Deno.test({
  name: "[ui] chat first in Chromium: focused box, examples, name once, named searchable sessions",
  ignore: !haveChromium,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const stack = await startUiStack();
    const browser = await launchBrowser();
    try {
      await inEachView(browser, async (page, view) => {
        await page.goto(stack.ui + "/");
        await hydrated(page, "home");
        assertEquals(await page.evaluate<string>("document.activeElement?.id"), "request");
        const examples = page.locator("button.example");
        assert((await examples.count()) >= 2, `${view.name}: examples are offered`);
        const texts = await examples.allInnerTexts();
        assert(texts.some((t) => t.startsWith("Research")), "an example for research");
        assert(texts.some((t) => t.startsWith("Analyze")), "an example for analysis");
        await assertPageSound(page, `${view.name} home`);

        // A request over the limit: counted, refused, never cut.
        const long = "x".repeat(20_005);
        await page.locator("#request").fill(long);
        assertEquals(await page.locator("#request").inputValue(), long);
        assertStringIncludes(await page.getByTestId("request-count").innerText(), "20,005");
        assertStringIncludes(await page.getByRole("alert").innerText(), "5 characters over");
        assert(await page.getByRole("button", { name: "Send" }).isDisabled());

        // An example fills the box; the name is asked this once.
        await examples.filter({ hasText: "Research" }).click();
        const request = await page.locator("#request").inputValue();
        assertMatch(request, /^Research /);
        await page.getByLabel("Your name").fill(`chat-${view.name}`);
        await page.getByRole("button", { name: "Send" }).click();
        await page.waitForURL(/\/sessions\/sess_\w+#task-\d+$/);
        const sessionId = new URL(page.url()).pathname.split("/").pop()!;
        await page.waitForSelector('article.task-card[data-status="completed"]');
        assertEquals(await page.locator("h1.session-title").innerText(), request);
        await assertPageSound(page, `${view.name} session`);
        const { body: session } = await stack.orch.api<{ user_id: string }>(
          `/api/sessions/${sessionId}`,
        );
        assertEquals(session.user_id, `chat-${view.name}`);

        // Back home: no name asked again; the session is named after its request, just now.
        await page.goto(stack.ui + "/");
        await hydrated(page, "home");
        assertEquals(await page.getByLabel("Your name").count(), 0, "the name is remembered");
        const row = page.locator(`[data-session-id="${sessionId}"]`);
        assertEquals(await row.locator(".session-name").innerText(), request);
        assertStringIncludes(await row.locator("time").innerText(), "just now");

        // Search: a word not in it hides it, one in it shows it.
        const search = page.getByRole("searchbox", { name: "Search conversations" });
        await search.fill("zebra-unheard-of");
        await row.waitFor({ state: "detached" });
        await page.getByText("No conversation matches.").waitFor();
        await search.fill("research");
        await row.waitFor();

        // Delete: gone from the page and from the orchestrator.
        await row.getByRole("button", { name: /^Delete / }).click();
        await row.waitFor({ state: "detached" });
        const gone = await stack.orch.api(`/api/sessions/${sessionId}`);
        assertEquals(gone.status, 404);
      });
    } finally {
      await browser.close();
      await stack.close();
    }
  },
});
