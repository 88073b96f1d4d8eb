/**
 * `Idempotency-Key` on `POST /api/tasks`: a replay returns the first task and creates nothing,
 * another body is refused, a key in progress answers 409, keys belong to their client, and
 * concurrent identical submits to two orchestrator processes on one database make one task.
 */
import { assert, assertEquals } from "@app/lib/assert";
import { claimIdempotencyKey } from "@app/db";
import { dbTest } from "@app/db/testing";
import { startOrchestrator } from "./helpers/orchestrator.ts";
import { orchestratorEnv } from "./helpers/orchestrator_env.ts";
import { startServiceProcess } from "../scripts/service_process.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

const body = { description: "Research idempotency keys", user_id: "u1" };

dbTest(
  "[idempotency] a replayed submit returns the first task and creates nothing",
  async ({ url, db }) => {
    const ADMIN_KEY = "admin-key-for-idempotency-tests";
    const orch = await startOrchestrator(url, { API_KEY: ADMIN_KEY }, { execute: false });
    try {
      const as = (key: string) => (init: { json?: unknown; headers?: Record<string, string> }) =>
        orch.api<Json>("/api/tasks", {
          method: "POST",
          json: init.json,
          headers: { ...init.headers, authorization: `Bearer ${key}` },
        });
      const keyFor = async (user: string) =>
        (await orch.api<Json>("/api/keys", {
          method: "POST",
          json: { user_id: user },
          headers: { authorization: `Bearer ${ADMIN_KEY}` },
        })).body.key as string;
      const alice = as(await keyFor("alice"));
      const bob = as(await keyFor("bob"));
      const count = async () => (await db.selectFrom("tasks").select("id").execute()).length;

      // Each user submits as themselves (no user_id of another's).
      const mine = { description: "Research idempotency keys", metadata: { order: 1 } };
      const first = await alice({ json: mine, headers: { "Idempotency-Key": '"order-1"' } });
      assertEquals(first.status, 201, JSON.stringify(first.body));
      assertEquals(first.headers.get("Idempotent-Replayed"), null);

      // The same body in another key order (and the key bare) is the same request.
      const again = await alice({
        json: { metadata: { order: 1 }, description: "Research idempotency keys" },
        headers: { "Idempotency-Key": "order-1" },
      });
      assertEquals(again.status, 201);
      assertEquals(again.headers.get("Idempotent-Replayed"), "true");
      assertEquals(again.body, first.body, "the first response, as it was");
      assertEquals(await count(), 1);

      // Another user's key of the same name is their own; no key is no idempotency.
      const other = await bob({ json: mine, headers: { "Idempotency-Key": "order-1" } });
      assertEquals(other.status, 201);
      assert(other.body.task_id !== first.body.task_id);
      const plain = await alice({ json: mine });
      assert(plain.body.task_id !== first.body.task_id);
      assertEquals(await count(), 3);
    } finally {
      await orch.close();
    }
  },
);

dbTest(
  "[idempotency] the same key with another body is 422; a key in progress is 409",
  async ({ url, db }) => {
    const orch = await startOrchestrator(url, {}, { execute: false });
    try {
      const headers = { "Idempotency-Key": "k-1" };
      assertEquals(
        (await orch.api("/api/tasks", { method: "POST", json: body, headers })).status,
        201,
      );
      const changed = await orch.api<Json>("/api/tasks", {
        method: "POST",
        json: { ...body, description: "Something else" },
        headers,
      });
      assertEquals(changed.status, 422);
      assertEquals(changed.body.error.code, "idempotency_key_reused");
      assertEquals(changed.body.error.details[0].field, "Idempotency-Key");

      // A request with this key being processed elsewhere (claimed, no response yet).
      const scope = `addr:127.0.0.1`;
      await claimIdempotencyKey(db, {
        scope,
        key: "k-2",
        fingerprint: "whatever",
        ttlMs: 60_000,
        lockMs: 60_000,
      });
      await db.updateTable("idempotency_keys").set({
        fingerprint: (await db.selectFrom("idempotency_keys").select("fingerprint")
          .where("key", "=", "k-1").executeTakeFirstOrThrow()).fingerprint,
      }).where("key", "=", "k-2").execute();
      const busy = await orch.api<Json>("/api/tasks", {
        method: "POST",
        json: body,
        headers: { "Idempotency-Key": "k-2" },
      });
      assertEquals(busy.status, 409);
      assertEquals(busy.body.error.code, "idempotency_key_in_progress");
      assertEquals(busy.headers.get("Retry-After"), "1");

      // A key past IDEMPOTENCY_TTL_MS is forgotten: the request makes a new task.
      await db.updateTable("idempotency_keys").set({ expires_at: "2000-01-01T00:00:00.000Z" })
        .where("key", "=", "k-1").execute();
      const fresh = await orch.api<Json>("/api/tasks", {
        method: "POST",
        json: { ...body, description: "Something else" },
        headers,
      });
      assertEquals(fresh.status, 201);
      assertEquals(fresh.headers.get("Idempotent-Replayed"), null);
      assertEquals((await db.selectFrom("tasks").select("id").execute()).length, 2);

      // A malformed key is named.
      const bad = await orch.api<Json>("/api/tasks", {
        method: "POST",
        json: body,
        headers: { "Idempotency-Key": "x".repeat(300) },
      });
      assertEquals(bad.status, 422);
      assert(bad.body.error.message.includes("idempotency-key"), bad.body.error.message);
    } finally {
      await orch.close();
    }
  },
);

dbTest(
  "[idempotency] concurrent identical submits to two processes make one task",
  async ({ url, db }) => {
    const env = orchestratorEnv(url, { RATE_LIMIT_PER_MINUTE: "0" });
    const processes = [
      await startServiceProcess("orchestrator/main.ts", env),
      await startServiceProcess("orchestrator/main.ts", env),
    ];
    try {
      const submit = async (base: string) => {
        const response = await fetch(`${base}/api/tasks`, {
          method: "POST",
          headers: { "content-type": "application/json", "Idempotency-Key": "same-order" },
          body: JSON.stringify(body),
        });
        return {
          status: response.status,
          replayed: response.headers.get("Idempotent-Replayed"),
          body: await response.json() as Json,
        };
      };
      const answers = await Promise.all(
        Array.from({ length: 16 }, (_, i) => submit(processes[i % 2].url)),
      );
      const created = answers.filter((a) => a.status === 201);
      const busy = answers.filter((a) => a.status === 409);
      assertEquals(created.length + busy.length, answers.length, JSON.stringify(answers));
      assertEquals(created.filter((a) => a.replayed === null).length, 1, "one request made it");
      const ids = new Set(created.map((a) => a.body.task_id));
      assertEquals(ids.size, 1, "every 201 names the one task");
      assertEquals((await db.selectFrom("tasks").select("id").execute()).length, 1);

      // Once it is done, a retry on either process replays it.
      for (const p of processes) {
        const retry = await submit(p.url);
        assertEquals([retry.status, retry.replayed, retry.body.task_id], [
          201,
          "true",
          [...ids][0],
        ]);
      }
    } finally {
      for (const p of processes) await p.kill("SIGTERM");
    }
  },
);
