/**
 * Identity on real services: API_KEY as an admin key, users' keys (created by the API and by
 * `deno task keys`, revoked, wrong, in a query string), and JWTs against a JWKS this test
 * serves (valid, expired, wrongly signed, wrong audience or issuer, `alg: none`).
 */
import { assert, assertEquals, assertStringIncludes } from "@app/lib/assert";
import { dbTest } from "@app/db/testing";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { startOrchestrator } from "./helpers/orchestrator.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const ADMIN_KEY = "admin-secret-for-tests";

dbTest(
  "[auth] API_KEY is an admin key; users' keys are created, listed, used and revoked",
  async ({ url }) => {
    const orch = await startOrchestrator(url, { API_KEY: ADMIN_KEY }, { execute: false });
    try {
      // No key, a wrong key, a key in the query string, another scheme: 401 with WWW-Authenticate.
      for (
        const [path, headers] of [
          ["/api/tasks", {}],
          ["/api/tasks", bearer("wrong")],
          [`/api/tasks?api_key=${ADMIN_KEY}`, {}],
          [`/api/tasks?access_token=${ADMIN_KEY}`, {}],
          ["/api/tasks", { authorization: `Basic ${btoa(`admin:${ADMIN_KEY}`)}` }],
          ["/api/tasks", { authorization: ADMIN_KEY }],
        ] as [string, Record<string, string>][]
      ) {
        const answer = await orch.api<Json>(path, { headers });
        assertEquals(answer.status, 401, `${path} ${JSON.stringify(headers)}`);
        assertEquals(answer.body.error.code, "unauthorized");
        assertEquals(answer.headers.get("www-authenticate"), "Bearer");
      }
      const me = await orch.api<Json>("/api/me", { headers: bearer(ADMIN_KEY) });
      assertEquals(me.body, { user_id: "admin", role: "admin", via: "key" });

      const created = await orch.api<Json>("/api/keys", {
        method: "POST",
        headers: bearer(ADMIN_KEY),
        json: { user_id: "alice", role: "user" },
      });
      assertEquals(created.status, 201);
      const aliceKey: string = created.body.key;
      assert(aliceKey.startsWith("ak_") && aliceKey.length > 40, aliceKey);
      assertEquals(aliceKey.startsWith(created.body.prefix), true);
      assertEquals(
        (await orch.api<Json>("/api/me", { headers: bearer(aliceKey) })).body,
        { user_id: "alice", role: "user", via: "key" },
      );

      // Stored only as a hash: neither the list nor the database holds the key.
      const listed = await orch.api<Json[]>("/api/keys", { headers: bearer(ADMIN_KEY) });
      assertEquals(listed.body.length, 1);
      assertEquals(listed.body[0].key, undefined);
      assertEquals(listed.body[0].key_hash, undefined);
      assert(!JSON.stringify(listed.body).includes(aliceKey.slice(12)));
      const rows = await orch.orchestrator.db.selectFrom("api_keys").selectAll().execute();
      assertEquals(rows.length, 1);
      assert(!JSON.stringify(rows).includes(aliceKey.slice(12)), "the key is not stored");
      assertEquals(rows[0].key_hash.length, 64);

      // A user cannot manage keys or see the audit log.
      for (
        const [path, init] of [
          ["/api/keys", { method: "POST", json: { user_id: "alice", role: "admin" } }],
          ["/api/keys", {}],
          [`/api/keys/${created.body.id}`, { method: "DELETE" }],
          ["/api/audit", {}],
        ] as [string, RequestInit & { json?: unknown }][]
      ) {
        const answer = await orch.api<Json>(path, { ...init, headers: bearer(aliceKey) });
        assertEquals(answer.status, 403, path);
      }

      const revoked = await orch.api<Json>(`/api/keys/${created.body.id}`, {
        method: "DELETE",
        headers: bearer(ADMIN_KEY),
      });
      assertEquals(revoked.body, { revoked: true, id: created.body.id });
      const after = await orch.api<Json>("/api/me", { headers: bearer(aliceKey) });
      assertEquals(after.status, 401, "a revoked key stops working at once");
      assertStringIncludes(after.body.error.message, "revoked");
      assertEquals(
        (await orch.api(`/api/keys/${created.body.id}`, {
          method: "DELETE",
          headers: bearer(ADMIN_KEY),
        })).status,
        404,
      );

      // Each change names who made it.
      const audit = await orch.api<Json[]>("/api/audit", { headers: bearer(ADMIN_KEY) });
      assertEquals(
        audit.body.map((e) => [e.action, e.actor, e.subject]),
        [
          ["key.revoked", "admin", `key ${created.body.id}`],
          ["key.created", "admin", `key ${created.body.id}`],
        ],
      );
    } finally {
      await orch.close();
    }
  },
);

dbTest(
  "[auth] `deno task keys` prints a new key once; with stored keys the API needs one",
  async ({ url }) => {
    const run = async (...args: string[]) => {
      const output = await new Deno.Command(Deno.execPath(), {
        args: ["task", "-q", "keys", ...args],
        cwd: new URL("..", import.meta.url).pathname,
        env: { DATABASE_URL: url },
        stdout: "piped",
        stderr: "piped",
      }).output();
      return {
        code: output.code,
        out: new TextDecoder().decode(output.stdout).trim(),
        err: new TextDecoder().decode(output.stderr),
      };
    };
    const created = await run("create", "bob", "--role", "admin");
    assertEquals(created.code, 0, created.err);
    const key = created.out;
    assert(/^ak_[A-Za-z0-9_-]{43}$/.test(key), `one line, the key: ${key}`);
    const listed = await run("list");
    assertStringIncludes(listed.out, "bob\tadmin");
    assert(!listed.out.includes(key.slice(10)), "list never shows the key");
    assertEquals((await run("create", "x", "--role", "boss")).code, 2);

    // No API_KEY, no JWKS, but a stored key: the orchestrator is not open any more.
    const orch = await startOrchestrator(url, {}, { execute: false });
    try {
      assertEquals((await orch.api("/api/tasks")).status, 401);
      assertEquals(
        (await orch.api<Json>("/api/me", { headers: bearer(key) })).body,
        { user_id: "bob", role: "admin", via: "key" },
      );
      const id = listed.out.split("\t")[0];
      const revoked = await run("revoke", id);
      assertEquals(revoked.code, 0, revoked.err);
      assertEquals((await orch.api("/api/me", { headers: bearer(key) })).status, 401);
      const audit = await orch.orchestrator.db.selectFrom("audit_events").select([
        "action",
        "actor",
      ])
        .orderBy("id").execute();
      assertEquals(audit.map((a) => a.action), ["key.created", "key.revoked"]);
      assert(audit.every((a) => a.actor.startsWith("cli:")));
    } finally {
      await orch.close();
    }
  },
);

/** A JWKS served over HTTP on port 0, and tokens signed by its key (or by a stranger's). */
async function startIdentityProvider() {
  const { publicKey, privateKey } = await generateKeyPair("RS256");
  const stranger = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256", use: "sig" };
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    () => Response.json({ keys: [jwk] }),
  );
  const issuer = "https://idp.test";
  const audience = "orchestrator";
  const sign = (
    claims: Record<string, unknown>,
    options: { key?: typeof privateKey; exp?: string | number; aud?: string; iss?: string } = {},
  ) =>
    new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: "k1" }).setIssuedAt()
      .setIssuer(options.iss ?? issuer).setAudience(options.aud ?? audience)
      .setExpirationTime(options.exp ?? "5m").setSubject(String(claims.sub ?? "carol"))
      .sign(options.key ?? privateKey);
  return {
    env: {
      AUTH_JWKS_URL: `http://127.0.0.1:${server.addr.port}/jwks.json`,
      AUTH_ISSUER: issuer,
      AUTH_AUDIENCE: audience,
      AUTH_ROLE_CLAIM: "app.role",
    },
    sign,
    strangerKey: stranger.privateKey,
    close: () => server.shutdown(),
  };
}

const b64url = (value: unknown) =>
  btoa(JSON.stringify(value)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

dbTest(
  "[auth] JWTs: the JWKS's signature, issuer, audience and expiry are checked; `none` is refused",
  async ({ url }) => {
    const idp = await startIdentityProvider();
    const orch = await startOrchestrator(url, idp.env, { execute: false });
    try {
      const user = await idp.sign({ sub: "carol" });
      assertEquals(
        (await orch.api<Json>("/api/me", { headers: bearer(user) })).body,
        { user_id: "carol", role: "user", via: "jwt" },
      );
      const admin = await idp.sign({ sub: "dave", app: { role: "admin" } });
      assertEquals(
        (await orch.api<Json>("/api/me", { headers: bearer(admin) })).body,
        { user_id: "dave", role: "admin", via: "jwt" },
      );
      const now = Math.floor(Date.now() / 1000);
      const refused: [string, string][] = [
        ["expired", await idp.sign({ sub: "carol" }, { exp: now - 60 })],
        ["wrongly signed", await idp.sign({ sub: "carol" }, { key: idp.strangerKey })],
        ["wrong audience", await idp.sign({ sub: "carol" }, { aud: "another-service" })],
        ["wrong issuer", await idp.sign({ sub: "carol" }, { iss: "https://evil.test" })],
        [
          "alg none",
          `${b64url({ alg: "none", typ: "JWT" })}.${
            b64url({ sub: "carol", iss: idp.env.AUTH_ISSUER, aud: "orchestrator", exp: now + 300 })
          }.`,
        ],
        [
          "alg none, admin claimed",
          `${b64url({ alg: "none" })}.${
            b64url({ sub: "x", app: { role: "admin" }, aud: "orchestrator", exp: now + 300 })
          }.`,
        ],
        // The signature of a valid token pasted onto other claims.
        [
          "tampered claims",
          `${user.split(".")[0]}.${
            b64url({
              sub: "dave",
              app: { role: "admin" },
              iss: idp.env.AUTH_ISSUER,
              aud: "orchestrator",
              exp: now + 300,
            })
          }.${user.split(".")[2]}`,
        ],
      ];
      for (const [what, token] of refused) {
        const answer = await orch.api<Json>("/api/tasks", { headers: bearer(token) });
        assertEquals(answer.status, 401, what);
        assertEquals(answer.body.error.code, "unauthorized", what);
      }
      assertEquals((await orch.api("/api/tasks")).status, 401, "no token");
    } finally {
      await orch.close();
      await idp.close();
    }
  },
);
