/**
 * Human in the loop in real Chromium (issue 15), against a real orchestrator, a scripted agent
 * and a real A2A agent on the official SDK that asks before it works: ask to approve the plan,
 * edit it (reorder, remove, change a step's text and agent), approve, then answer the agent's
 * question in the conversation, all live without a reload. Skips where Chromium is missing.
 */
import { chromium } from "playwright-core";
import { assert, assertEquals, assertStringIncludes } from "@app/lib/assert";
import { startUiStack } from "./ui_stack.ts";
import { startAskingAgent } from "./helpers/asking_agent.ts";
import {
  ARTIFACTS,
  CHROMIUM,
  CHROMIUM_ARGS,
  haveChromium,
  markDocument,
  stillSameDocument,
} from "./helpers/chromium.ts";

if (!haveChromium) console.log(`[ui] browser test skipped: ${CHROMIUM} is not installed`);

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

Deno.test({
  name: "[ui] in Chromium: approve an edited plan, then answer the agent's question, live",
  ignore: !haveChromium,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const stack = await startUiStack();
    const asking = await startAskingAgent();
    const registered = await stack.orch.api<Json>("/api/agents", {
      method: "POST",
      json: { url: asking.url },
    });
    assertEquals(registered.status, 201, JSON.stringify(registered.body));
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
      const { body: session } = await stack.orch.api<{ session_id: string }>("/api/sessions", {
        method: "POST",
        json: { user_id: "hitl-user" },
      });
      await page.goto(`${stack.ui}/sessions/${session.session_id}`);
      await page.waitForSelector('[data-island="conversation"][data-hydrated="true"]');
      await markDocument(page);

      // Ask to approve the plan first.
      await page.getByLabel("Let me approve the plan").check();
      await page.getByLabel("Your request").fill("Research renewable energy and summarize it");
      await page.getByRole("button", { name: "Send" }).click();
      const card = page.locator('article.task-card[data-status="awaiting_approval"]');
      await card.waitFor();
      assertEquals(await card.locator(".step").count(), 2);
      assertEquals(stack.agent.calls.size, 0, "no agent called before approval");
      await card.getByRole("button", { name: "Approve", exact: true }).waitFor();
      await card.getByRole("button", { name: "Reject" }).waitFor();

      // Edit: summary first, then remove it; the research step re-described, to another agent.
      await card.getByRole("button", { name: "Edit" }).click();
      await card.getByLabel("Step 1 agent").locator("option", { hasText: "Asking Agent" })
        .waitFor({ state: "attached" });
      await card.getByRole("button", { name: "Move step 2 up" }).click();
      assertStringIncludes(await card.getByLabel("Step 1 text").inputValue(), "ummariz");
      await card.getByRole("button", { name: "Remove step 1" }).click();
      await card.getByLabel("Step 1 text").fill("Research offshore wind");
      await card.getByLabel("Step 1 agent").selectOption({ label: "Asking Agent (research)" });
      await page.screenshot({
        path: new URL("ui_plan_edit.png", ARTIFACTS).pathname,
        fullPage: true,
      });
      await card.getByRole("button", { name: "Approve edited plan" }).click();

      // The agent asks; the question and an answer box appear in the conversation.
      const asked = page.locator('article.task-card[data-status="input_required"]');
      await asked.waitFor();
      assertStringIncludes(
        await asked.locator(".agent-question").innerText(),
        "What should I research?",
      );
      assertEquals(await asked.locator(".step").count(), 1);
      await page.screenshot({
        path: new URL("ui_question.png", ARTIFACTS).pathname,
        fullPage: true,
      });
      await asked.getByLabel("Your answer to step 1").fill("Offshore wind in the North Sea");
      await asked.getByRole("button", { name: "Answer" }).click();
      const done = page.locator('article.task-card[data-status="completed"]');
      await done.waitFor();
      assertStringIncludes(
        await done.locator(".summary").innerText(),
        "Researched Offshore wind in the North Sea",
      );
      assertEquals(await done.locator(".agent-question").count(), 0, "nothing waits any more");
      assert(await stillSameDocument(page), "all of it without a reload");

      // The orchestrator ran the edited plan: one step, on the asking agent, as re-described.
      const { body: tasks } = await stack.orch.api<Json[]>(
        `/api/tasks?session_id=${session.session_id}`,
      );
      const task = (await stack.orch.api<Json>(`/api/tasks/${tasks[0].id}`)).body;
      assertEquals(
        task.steps.map((s: Json) => [s.description, s.agent_name, s.status]),
        [["Research offshore wind", "Asking Agent", "completed"]],
      );
      assertEquals(stack.agent.calls.size, 0, "the scripted agent's steps were removed");
      assertEquals(asking.received.map((r) => r.text).at(-1), "Offshore wind in the North Sea");
      assertEquals(problems, []);
    } finally {
      await context.close();
      await stack.close();
      await asking.close();
      await Deno.remove(profile, { recursive: true }).catch(() => {});
    }
  },
});
