/**
 * Signing in to the UI in real Chromium, against an orchestrator that asks who is calling:
 * sign in with a user's key, see the user instead of a name field, the session cookie's flags
 * (HttpOnly, SameSite, not the key), a form posted by another site refused, sign out.
 */
import { chromium } from "playwright-core";
import { assert, assertEquals, assertStringIncludes } from "@app/lib/assert";
import { startUiStack } from "./ui_stack.ts";
import { CHROMIUM, CHROMIUM_ARGS, haveChromium } from "./helpers/chromium.ts";

if (!haveChromium) console.log(`[ui] sign-in browser test skipped: ${CHROMIUM} is not installed`);

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;
const ADMIN_KEY = "ui-sign-in-admin-key";

Deno.test({
  name:
    "[ui] in Chromium: sign in with a key, HttpOnly SameSite cookie, cross-site post refused, sign out",
  ignore: !haveChromium,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const stack = await startUiStack({ apiKey: ADMIN_KEY });
    const admin = { authorization: `Bearer ${ADMIN_KEY}` };
    const aliceKey = (await stack.orch.api<Json>("/api/keys", {
      method: "POST",
      headers: admin,
      json: { user_id: "alice", role: "user" },
    })).body.key as string;
    // Another site (localhost is another site than 127.0.0.1) whose page posts a form to the UI.
    const evil = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, () =>
      new Response(
        `<!DOCTYPE html><html><body><form id="f" method="post" action="${stack.ui}/sessions">` +
          `<input name="user_id" value="mallory"></form>` +
          `<script>document.getElementById("f").submit()</script></body></html>`,
        { headers: { "content-type": "text/html" } },
      ));
    const evilUrl = `http://localhost:${evil.addr.port}/`;
    const profile = await Deno.makeTempDir({ prefix: "ui-signin-chromium-" });
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    try {
      const page = context.pages()[0] ?? await context.newPage();
      page.setDefaultTimeout(15_000);

      // Not signed in: sent to the sign-in page; a wrong key is refused.
      await page.goto(stack.ui + "/agents");
      await page.waitForURL(/\/signin\?next=%2Fagents$/);
      await page.getByLabel("API key or identity-provider token").fill("wrong-key");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL(/\/signin\?.*error=/);
      assertStringIncludes(await page.locator('[role="alert"]').innerText(), "not accepted");

      await page.getByLabel("API key or identity-provider token").fill(aliceKey);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL(/\/agents$/);
      assertEquals(await page.getByTestId("viewer").innerText(), "alice");

      // The cookie: HttpOnly, SameSite=Lax, the whole site, a random id (not the key).
      const cookies = await context.cookies(stack.ui);
      const session = cookies.find((c) => c.name === "orch_ui_session");
      assert(session, JSON.stringify(cookies));
      assertEquals([session.httpOnly, session.sameSite, session.path], [true, "Lax", "/"]);
      assert(!session.value.includes(aliceKey) && !aliceKey.includes(session.value));
      assertEquals(await page.evaluate<string>("document.cookie"), "", "scripts cannot read it");
      const html = await page.content();
      assert(!html.includes(aliceKey), "the key is not in the page");

      // The start form asks no name: the session is alice's.
      await page.goto(stack.ui + "/");
      assertEquals(await page.locator("#new-user").count(), 0);
      await page.getByRole("button", { name: "Start session" }).click();
      await page.waitForURL(/\/sessions\/sess_\w+$/);
      const sessionId = page.url().split("/").pop()!;
      const { body: owned } = await stack.orch.api<Json>(`/api/sessions/${sessionId}`, {
        headers: admin,
      });
      assertEquals(owned.user_id, "alice");

      // Another site's page posts a form to the UI: refused, nothing created.
      const refused = page.waitForResponse((r) =>
        r.url() === `${stack.ui}/sessions` && r.request().method() === "POST"
      );
      await page.goto(evilUrl);
      assertEquals((await refused).status(), 403);
      const { body: sessions } = await stack.orch.api<Json[]>("/api/sessions", { headers: admin });
      assertEquals(sessions.map((s) => s.user_id), ["alice"]);

      // Sign out: the cookie goes, and pages ask to sign in again.
      await page.goto(stack.ui + "/");
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL(/\/signin$/);
      const after = await context.cookies(stack.ui);
      assertEquals(after.filter((c) => c.name === "orch_ui_session"), []);
      await page.goto(stack.ui + "/");
      await page.waitForURL(/\/signin\?next=/);
    } finally {
      await context.close();
      await evil.shutdown();
      await stack.close();
      await Deno.remove(profile, { recursive: true }).catch(() => {});
    }
  },
});
