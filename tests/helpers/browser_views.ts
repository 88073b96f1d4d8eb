/**
 * Browser tests in the three views issue 19 asks for (light, dark, a 390-px phone), each page
 * checked for sideways scrolling and by axe-core for serious findings. Strings are evaluated
 * in the page, so test files need no DOM types.
 */
import { type Browser, chromium, type Page } from "playwright-core";
import axe from "axe-core";
import { assertEquals } from "@app/lib/assert";
import { CHROMIUM, CHROMIUM_ARGS, haveChromium } from "./chromium.ts";
export { CHROMIUM, haveChromium };

export interface View {
  name: "light" | "dark" | "phone";
  colorScheme: "light" | "dark";
  width: number;
}

export const VIEWS: View[] = [
  { name: "light", colorScheme: "light", width: 1100 },
  { name: "dark", colorScheme: "dark", width: 1100 },
  { name: "phone", colorScheme: "light", width: 390 },
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

type AxeResult = { id: string; impact: string | null; nodes: { target: string[] }[] };

/** No sideways scrolling, and nothing serious or critical by axe-core. */
export async function assertPageSound(page: Page, label: string): Promise<void> {
  const overflow = await page.evaluate<number>(
    "document.documentElement.scrollWidth - document.documentElement.clientWidth",
  );
  assertEquals(overflow <= 0, true, `${label}: scrolls sideways by ${overflow}px`);
  if (!(await page.evaluate<boolean>("typeof axe !== 'undefined'"))) {
    await page.addScriptTag({ content: axe.source });
  }
  const violations = await page.evaluate(
    "axe.run(document).then((result) => result.violations)",
  ) as AxeResult[];
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assertEquals(
    serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
    [],
    `${label}: axe-core finds nothing serious`,
  );
}

/** Runs `scenario` once per view, in a fresh context; page errors fail the view. */
export async function inEachView(
  browser: Browser,
  scenario: (page: Page, view: View) => Promise<void>,
): Promise<void> {
  for (const view of VIEWS) {
    const context = await browser.newContext({
      colorScheme: view.colorScheme,
      viewport: { width: view.width, height: 800 },
    });
    const problems: string[] = [];
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("dialog", (dialog) => dialog.accept());
    try {
      await scenario(page, view);
      assertEquals(problems, [], `${view.name}: no page errors`);
    } finally {
      await context.close();
    }
  }
}

/** Until the island `name` has hydrated (its forms are handled by script from then on). */
export async function hydrated(page: Page, name: string): Promise<void> {
  await page.waitForSelector(`[data-island="${name}"][data-hydrated="true"]`);
}
