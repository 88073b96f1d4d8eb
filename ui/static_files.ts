/**
 * Serves the files of one flat folder (CSS, icons, island bundles). Names are matched against a
 * strict pattern, so a request can never leave the folder.
 */
import type { Handler } from "hono";

const TYPES: Record<string, string> = {
  css: "text/css; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  svg: "image/svg+xml",
  map: "application/json",
};
const SAFE_NAME = /^[\w-]+(\.[\w-]+)*\.(css|js|svg|map)$/;

export function serveFolder(dir: string): Handler {
  return async (c) => {
    const name = c.req.param("file") ?? "";
    if (!SAFE_NAME.test(name)) return c.notFound();
    try {
      const body = await Deno.readFile(`${dir.replace(/\/+$/, "")}/${name}`);
      return c.body(body, 200, {
        "content-type": TYPES[name.split(".").pop()!],
        // Revalidate each time: names are stable across rebuilds in dev.
        "cache-control": "no-cache",
      });
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return c.notFound();
      throw error;
    }
  };
}
