/**
 * Server rendering of a page: the body first (so we learn which islands it used), then the
 * document around it with one module script per island. A page without islands gets no script.
 */
import type { VNode } from "preact";
import { render } from "preact-render-to-string";
import { IslandCollector } from "./island.tsx";
import { ViewerContext } from "./components/viewer_context.ts";
import { currentViewer } from "./viewer.ts";

export interface Page {
  title: string;
  body: VNode;
  status?: number;
}

export function renderHtml(page: Page): { html: string; islands: string[] } {
  const islands = new Set<string>();
  const viewer = currentViewer();
  const body = render(
    <ViewerContext.Provider
      value={viewer && { user_id: viewer.user_id, role: viewer.role, via: viewer.via }}
    >
      <IslandCollector.Provider value={islands}>{page.body}</IslandCollector.Provider>
    </ViewerContext.Provider>,
  );
  const scripts = [...islands].map((name) =>
    `<script type="module" src="/islands/${name}.js"></script>`
  ).join("");
  const head = render(
    <>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="color-scheme" content="light dark" />
      <title>{`${page.title} · Agent Orchestrator`}</title>
      <link rel="icon" href="/static/icon.svg" type="image/svg+xml" />
      <link rel="stylesheet" href="/static/styles.css" />
      <link rel="stylesheet" href="/static/views.css" />
      <link rel="stylesheet" href="/static/uplot.min.css" />
    </>,
  );
  return {
    html:
      `<!DOCTYPE html><html lang="en"><head>${head}${scripts}</head><body>${body}</body></html>`,
    islands: [...islands],
  };
}

export function renderPage(page: Page): Response {
  return new Response(renderHtml(page).html, {
    status: page.status ?? 200,
    headers: { "content-type": "text/html; charset=utf-8" },
  });
}
