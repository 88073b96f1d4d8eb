import { assert, assertEquals, assertStringIncludes } from "@app/lib/assert";
import { createServiceApp } from "./openapi_app.ts";
import { silentLogger } from "./logger.ts";

Deno.test("[docs] /docs loads Swagger UI from the service itself, no CDN", async () => {
  const app = createServiceApp({ title: "Test <API>", logger: silentLogger });
  const page = await (await app.request("/docs")).text();
  assertStringIncludes(page, "<title>Test &#60;API&#62;</title>");
  assert(!/https?:\/\//.test(page), `the page loads nothing from elsewhere: ${page}`);
  const sources = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
  assertEquals(sources, ["/docs/swagger-ui.css", "/docs/swagger-ui-bundle.js", "/docs/start.js"]);
  for (const source of sources) {
    const response = await app.request(source);
    assertEquals(response.status, 200, source);
    const text = await response.text();
    assert(text.length > 20, source);
  }
  assertStringIncludes(await (await app.request("/docs/start.js")).text(), '"/openapi.json"');
  assertEquals((await app.request("/docs/package.json")).status, 404, "only the UI's assets");
});
