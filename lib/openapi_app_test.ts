import { createRoute, z } from "@hono/zod-openapi";
import { assertEquals, assertStringIncludes } from "./assert.ts";
import { createServiceApp } from "./openapi_app.ts";
import { HttpError } from "./http_errors.ts";
import { DatabaseUnavailable, ReferenceMissing, UniqueViolation } from "./database_errors.ts";
import { silentLogger } from "./logger.ts";

function app() {
  const app = createServiceApp({ title: "t", logger: silentLogger, maxBodyBytes: 1000 });
  app.openapi(
    createRoute({
      method: "post",
      path: "/things",
      request: {
        body: {
          content: {
            "application/json": { schema: z.object({ name: z.string(), count: z.number() }) },
          },
        },
      },
      responses: { 200: { description: "ok" } },
    }),
    (c) => c.json(c.req.valid("json"), 200),
  );
  app.get("/boom", () => {
    throw new Error("kaput");
  });
  app.get("/taken", () => {
    throw new UniqueViolation("duplicate key", { code: "23505" }, ["name"]);
  });
  app.get("/gone", () => {
    throw new ReferenceMissing("violates foreign key constraint", { code: "23503" });
  });
  app.get("/down", () => {
    // Wrapped on the way up: the handler finds the database error among the causes.
    throw new Error("request failed", {
      cause: new DatabaseUnavailable("connection refused", { code: "ECONNREFUSED" }),
    });
  });
  app.get("/teapot", () => {
    throw new HttpError(409, "conflict", "already there");
  });
  return app;
}

const post = (body: string, type = "application/json") =>
  app().request("/things", { method: "POST", body, headers: { "content-type": type } });

Deno.test("[http] a wrong shape answers 422 naming each field", async () => {
  const res = await post(JSON.stringify({ name: 5 }));
  assertEquals(res.status, 422);
  const body = await res.json();
  assertEquals(body.error.code, "validation_failed");
  assertEquals(body.error.details.map((d: { field: string }) => d.field), ["name", "count"]);
  assertStringIncludes(body.error.message, "name:");
});

Deno.test("[http] bad JSON is 400, an oversized body 413, an unknown route 404", async () => {
  const bad = await post("{nope");
  assertEquals(bad.status, 400);
  assertEquals((await bad.json()).error.code, "bad_request");
  const big = await post(JSON.stringify({ name: "x".repeat(2000), count: 1 }));
  assertEquals(big.status, 413);
  assertEquals((await big.json()).error.code, "payload_too_large");
  const missing = await app().request("/nowhere");
  assertEquals(missing.status, 404);
  assertEquals((await missing.json()).error.code, "not_found");
});

Deno.test("[http] thrown HttpErrors keep their status; others are a 500 envelope", async () => {
  const conflict = await app().request("/teapot");
  assertEquals(conflict.status, 409);
  assertEquals((await conflict.json()).error, { code: "conflict", message: "already there" });
  const boom = await app().request("/boom");
  assertEquals(boom.status, 500);
  assertEquals((await boom.json()).error.code, "internal_error");
  const ok = await post(JSON.stringify({ name: "a", count: 1 }));
  assertEquals(await ok.json(), { name: "a", count: 1 });
  const docs = await app().request("/openapi.json");
  assertEquals((await docs.json()).paths["/things"] !== undefined, true);
});

Deno.test("[http] database errors: a unique violation or a missing reference answers 409, an outage 503", async () => {
  const taken = await app().request("/taken");
  assertEquals(taken.status, 409);
  assertEquals((await taken.json()).error, {
    code: "conflict",
    message: "another record already has that name",
  });
  // A write whose parent row was deleted meanwhile: the request conflicts with the current state.
  const gone = await app().request("/gone");
  assertEquals(gone.status, 409);
  assertEquals((await gone.json()).error.code, "conflict");
  const down = await app().request("/down");
  assertEquals(down.status, 503);
  assertEquals(down.headers.get("retry-after"), "1");
  assertEquals((await down.json()).error.code, "database_unavailable");
});
