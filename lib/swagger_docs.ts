/**
 * `/docs`: Swagger UI served from the project's own copy (npm `swagger-ui-dist`), so the API
 * docs work where no CDN is reachable. The page, its start-up script and the two assets it
 * needs are all served from `/docs/...`.
 */
import type { Env, Hono } from "hono";
import { getAbsoluteFSPath } from "swagger-ui-dist";

/** The files of swagger-ui-dist the page loads, with their types. */
const ASSETS: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
};

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function docsPage(title: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(title)}</title>` +
    `<link rel="stylesheet" href="/docs/swagger-ui.css"></head>` +
    `<body><div id="swagger-ui"></div>` +
    `<script src="/docs/swagger-ui-bundle.js"></script>` +
    `<script src="/docs/start.js"></script></body></html>`;
}

/** Mounts `/docs` and its assets; `specUrl` is the OpenAPI document's path. */
export function mountSwaggerDocs<E extends Env>(app: Hono<E>, title: string, specUrl: string) {
  const folder = getAbsoluteFSPath();
  const cache = new Map<string, Uint8Array>();
  app.get("/docs", (c) => c.html(docsPage(title)));
  app.get("/docs/start.js", (c) =>
    c.body(
      `window.ui = SwaggerUIBundle({ url: ${JSON.stringify(specUrl)}, dom_id: "#swagger-ui" });`,
      200,
      { "content-type": "text/javascript; charset=utf-8" },
    ));
  app.get("/docs/:file", async (c) => {
    const file = c.req.param("file");
    const type = ASSETS[file];
    if (!type) return c.notFound();
    let body = cache.get(file);
    if (!body) {
      body = await Deno.readFile(`${folder}/${file}`);
      cache.set(file, body);
    }
    return c.body(body as Uint8Array<ArrayBuffer>, 200, {
      "content-type": type,
      "cache-control": "public, max-age=86400",
    });
  });
}
