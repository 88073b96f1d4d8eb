/**
 * The UI in real Chromium against a real orchestrator and agent: start a session, send a request,
 * watch its steps complete live (no reload), read the summary, open the task, register an agent
 * by URL. Skips, and says so, where /usr/bin/chromium is not installed.
 */
import { chromium } from "playwright-core";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "@app/lib/assert";
import { startUiStack } from "./ui_stack.ts";
import { startCardServer } from "./ui_card_server.ts";
import {
  ARTIFACTS,
  CHROMIUM,
  CHROMIUM_ARGS,
  haveChromium,
  markDocument,
  stillSameDocument,
} from "./helpers/chromium.ts";

if (!haveChromium) console.log(`[ui] browser test skipped: ${CHROMIUM} is not installed`);

Deno.test({
  name: "[ui] in Chromium: start a session, watch a task complete live, open it, register an agent",
  ignore: !haveChromium,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    // A slow agent, so the steps are seen pending or running before they complete.
    const stack = await startUiStack({ agentDelayMs: 600 });
    const card = startCardServer();
    const profile = await Deno.makeTempDir({ prefix: "ui-chromium-" });
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1100, height: 900 },
    });
    const problems: string[] = [];
    try {
      const page = context.pages()[0] ?? await context.newPage();
      page.setDefaultTimeout(15_000);
      page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
      page.on("console", (message) => {
        if (message.type() === "error") problems.push(`console: ${message.text()}`);
      });

      // Sessions: start one with the form.
      await page.goto(stack.ui + "/");
      await page.getByLabel("Your name").fill("browser-user");
      await page.getByRole("button", { name: "Start session" }).click();
      await page.waitForURL(/\/sessions\/sess_\w+$/);
      const sessionId = page.url().split("/").pop()!;
      await page.waitForSelector('[data-island="conversation"][data-hydrated="true"]');
      await markDocument(page);

      // Send a request: the island posts it and shows the task card, which follows the events.
      await page.getByLabel("Your request").fill("Research renewable energy and summarize it");
      await page.getByRole("button", { name: "Send" }).click();
      const card1 = page.locator("article.task-card").first();
      await card1.waitFor();
      const seenUnfinished = await card1.locator(
        ".step .badge-pending, .step .badge-running",
      ).count();
      assert(seenUnfinished > 0, "the card shows steps before they complete");
      await page.waitForSelector('article.task-card[data-status="completed"]');
      const steps = await card1.locator(".step").count();
      assertEquals(steps, 2);
      assertEquals(await card1.locator(".step .badge-completed").count(), steps);
      const summary = await card1.locator(".summary").innerText();
      assertStringIncludes(summary, "Researcher handled");
      assertStringIncludes(await card1.locator(".insights").innerText(), "insight");
      assert(await stillSameDocument(page), "the page was not reloaded");
      assertEquals(await page.getByLabel("Your request").inputValue(), "");
      await Deno.mkdir(ARTIFACTS, { recursive: true });
      await page.screenshot({
        path: new URL("ui_session.png", ARTIFACTS).pathname,
        fullPage: true,
      });

      // The orchestrator agrees with what the page shows.
      const { body: tasks } = await stack.orch.api<{ id: number; status: string }[]>(
        `/api/tasks?session_id=${sessionId}`,
      );
      assertEquals(tasks.map((t) => t.status), ["completed"]);

      // The task page: a timeline with input and output to open.
      await card1.getByRole("link", { name: `Task #${tasks[0].id}` }).click();
      await page.waitForURL(new RegExp(`/tasks/${tasks[0].id}$`));
      assertEquals(await page.locator(".timeline-step").count(), 2);
      assertEquals(await page.locator(".timeline-step .badge-completed").count(), 2);
      const output = page.locator(".timeline-step").first().locator("details", {
        hasText: "Output",
      });
      await output.locator("summary").click();
      assertMatch(await output.locator("pre").innerText(), /"summary": "Researcher handled/);
      await page.screenshot({ path: new URL("ui_task.png", ARTIFACTS).pathname, fullPage: true });

      // Agents: register an A2A agent by its URL, without a reload.
      await page.getByRole("link", { name: "Agents" }).click();
      await page.waitForSelector('[data-island="agents_panel"][data-hydrated="true"]');
      await markDocument(page);
      await page.getByLabel("Agent URL").fill(card.url);
      await page.getByRole("button", { name: "Register", exact: true }).click();
      await page.getByRole("status").filter({ hasText: `Registered ${card.name}.` }).waitFor();
      await page.getByRole("heading", { name: card.name }).waitFor();
      const agent = page.locator("li.agent", { hasText: card.name });
      assertStringIncludes(await agent.innerText(), "research");
      assertStringIncludes(await agent.innerText(), "a2a_server");
      assert(await stillSameDocument(page), "registering did not reload the page");
      const { body: agents } = await stack.orch.api<{ name: string }[]>("/api/agents");
      assert(agents.some((a) => a.name === card.name), "the orchestrator has the new agent");

      // Phone-sized: the session page still fits without sideways scrolling.
      await page.setViewportSize({ width: 375, height: 740 });
      await page.goto(`${stack.ui}/sessions/${sessionId}`);
      // A string, so this file needs no DOM types (they would leak into the repo's type check).
      const overflow = await page.evaluate<number>(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth",
      );
      assert(overflow <= 0, `the page scrolls sideways by ${overflow}px on a phone`);
      await page.screenshot({ path: new URL("ui_phone.png", ARTIFACTS).pathname, fullPage: true });
      await page.setViewportSize({ width: 1100, height: 900 });
      await page.goto(`${stack.ui}/agents`);
      await page.screenshot({ path: new URL("ui_agents.png", ARTIFACTS).pathname, fullPage: true });

      assertEquals(problems, []);
    } finally {
      await context.close();
      await card.close();
      await stack.close();
      await Deno.remove(profile, { recursive: true }).catch(() => {});
    }
  },
});

Deno.test({
  name: "[ui] in Chromium: send by keyboard (Ctrl+Enter), cancel the running task from its page",
  ignore: !haveChromium,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const stack = await startUiStack({ agentHangs: true });
    const profile = await Deno.makeTempDir({ prefix: "ui-chromium-" });
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    try {
      const page = context.pages()[0] ?? await context.newPage();
      page.setDefaultTimeout(15_000);
      const { body: session } = await stack.orch.api<{ session_id: string }>("/api/sessions", {
        method: "POST",
        json: { user_id: "keyboard-user" },
      });
      await page.goto(`${stack.ui}/sessions/${session.session_id}`);
      await page.waitForSelector('[data-island="conversation"][data-hydrated="true"]');
      await page.getByLabel("Your request").focus();
      await page.keyboard.type("Research something that never ends");
      await page.keyboard.press("Control+Enter");
      const card = page.locator("article.task-card").first();
      await card.locator(".step .badge-running").waitFor();
      const taskId = await card.getAttribute("data-task-id");

      await page.goto(`${stack.ui}/tasks/${taskId}`);
      await page.waitForSelector('[data-island="task_timeline"][data-hydrated="true"]');
      await markDocument(page);
      await page.getByRole("button", { name: "Cancel task" }).click();
      await page.waitForSelector('.task-detail[data-status="cancelled"]');
      assertEquals(await page.getByRole("button", { name: "Cancel task" }).count(), 0);
      assert(await stillSameDocument(page), "cancelling did not reload the page");
      const task = await stack.orch.waitForTask(Number(taskId));
      assertEquals(task.status, "cancelled");
    } finally {
      await context.close();
      await stack.close();
      await Deno.remove(profile, { recursive: true }).catch(() => {});
    }
  },
});
