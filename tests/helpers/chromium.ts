/**
 * What the Chromium tests share: where the browser is (tests skip, and say so, without it), its
 * launch flags, where screenshots go, and a mark that tells a live update from a reload.
 */
import type { Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

export const haveChromium = (() => {
  try {
    return Deno.statSync(CHROMIUM).isFile;
  } catch {
    return false;
  }
})();

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-quic",
  "--no-first-run",
  "--disable-component-update",
  "--disable-sync",
];

export const ARTIFACTS = new URL("../../test-artifacts/", import.meta.url);

/** Marks the page's document; a reload or navigation drops the mark. */
export const markDocument = (page: Page) =>
  page.evaluate(() => {
    (globalThis as unknown as { __mark?: number }).__mark = 1;
  });

/** True while the page is the document `markDocument` marked. */
export const stillSameDocument = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as { __mark?: number }).__mark === 1);
