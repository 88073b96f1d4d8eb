/**
 * The offline banner: with no language model, every UI page says so and how to add one; in
 * Chromium it reads well in light and dark and on a 390-pixel phone, and axe-core finds nothing
 * serious on the page. The browser part skips, and says so, without /usr/bin/chromium.
 */
import { chromium } from "playwright-core";
import { assert, assertEquals, assertStringIncludes } from "@app/lib/assert";
import { OFFLINE_NOTICE } from "@app/lib/offline_notice";
import { startUiStack } from "./ui_stack.ts";
import { assertPageSound } from "./helpers/browser_views.ts";
import { CHROMIUM, CHROMIUM_ARGS, haveChromium } from "./helpers/chromium.ts";

if (!haveChromium) console.log(`[ui] offline banner browser test skipped: no ${CHROMIUM}`);

Deno.test({
  name: "[ui] offline: every page carries the banner saying how to add a model",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const stack = await startUiStack();
    try {
      for (const path of ["/", "/agents"]) {
        const { status, html } = await stack.page(path);
        assertEquals(status, 200);
        assertEquals(html.split('class="offline-banner"').length, 2, `one banner on ${path}`);
        assertStringIncludes(html, "OPENAI_API_KEY (OpenAI), GROQ_API_KEY (Groq)");
        assertStringIncludes(html, "(Ollama)");
      }
      // Not on what is not a page.
      const css = await fetch(stack.ui + "/static/styles.css");
      assert(!(await css.text()).includes(OFFLINE_NOTICE));
    } finally {
      await stack.close();
    }
  },
});

Deno.test({
  name: "[ui] offline banner in Chromium: light, dark and a 390-px phone, no serious axe finding",
  ignore: !haveChromium,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const stack = await startUiStack();
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    try {
      const views = [
        { name: "light", colorScheme: "light" as const, width: 1100 },
        { name: "dark", colorScheme: "dark" as const, width: 1100 },
        { name: "phone", colorScheme: "light" as const, width: 390 },
      ];
      for (const view of views) {
        const context = await browser.newContext({
          colorScheme: view.colorScheme,
          viewport: { width: view.width, height: 800 },
        });
        const page = await context.newPage();
        await page.goto(stack.ui + "/");
        const banner = page.getByRole("complementary", { name: "Offline mode" });
        assertStringIncludes(await banner.innerText(), "GROQ_API_KEY");
        const box = (await banner.boundingBox())!;
        assert(box.x >= 0 && box.x + box.width <= view.width, `${view.name}: fits the width`);
        await assertPageSound(page, view.name);
        await context.close();
      }
    } finally {
      await browser.close();
      await stack.close();
    }
  },
});
