/**
 * Each user's own, on real services: two users and an admin on every /api route (the original's
 * aliases and the event streams included). Another user's task, session or stream is 404, the
 * same answer as one that does not exist; an admin sees everything; agents and keys are the
 * admins'. Every change names who made it.
 */
import { assert, assertEquals } from "@app/lib/assert";
import { dbTest } from "@app/db/testing";
import { startOrchestrator } from "./helpers/orchestrator.ts";
import { startScriptedAgent } from "./helpers/scripted_agent.ts";
import { readSse } from "./helpers/sse.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;
const ADMIN_KEY = "admin-key-for-ownership-tests";

dbTest(
  "[access] two users and an admin on every route: another's is 404, agents are the admins'",
  async ({ url }) => {
    const agent = startScriptedAgent({
      name: "Worker",
      capabilities: ["research", "summarization", "analysis"],
      behave: ({ input }) => (input.includes("forever") ? { hang: true } : undefined),
    });
    const orch = await startOrchestrator(url, { API_KEY: ADMIN_KEY });
    const as =
      (key: string) => <T = Json>(path: string, init: RequestInit & { json?: unknown } = {}) =>
        orch.api<T>(path, { ...init, headers: { authorization: `Bearer ${key}` } });
    const admin = as(ADMIN_KEY);
    const keyFor = async (user: string) =>
      (await admin("/api/keys", { method: "POST", json: { user_id: user } })).body.key as string;
    const alice = as(await keyFor("alice"));
    const bob = as(await keyFor("bob"));
    try {
      // Agents: only an admin registers, changes or removes one (both registration routes).
      const agentBody = {
        name: "Worker",
        agent_type: "api",
        endpoint: agent.url,
        capabilities: agent.capabilities,
      };
      for (const path of ["/api/agents", "/api/agents/register"]) {
        assertEquals((await alice(path, { method: "POST", json: agentBody })).status, 403, path);
      }
      const registered = await admin("/api/agents", { method: "POST", json: agentBody });
      assertEquals(registered.status, 201);
      const agentId = registered.body.id;
      assertEquals(
        (await bob(`/api/agents/${agentId}`, { method: "PUT", json: { description: "x" } }))
          .status,
        403,
      );
      assertEquals((await bob(`/api/agents/${agentId}`, { method: "DELETE" })).status, 403);
      // ...while anyone may look at them and check their health.
      assertEquals((await bob<Json[]>("/api/agents")).body.length, 1);
      assertEquals((await bob(`/api/agents/${agentId}`)).body.name, "Worker");
      assertEquals((await bob("/api/agents/stats")).body.total, 1);
      assertEquals((await bob(`/api/agents/${agentId}/health`)).body.healthy, true);
      assertEquals((await bob(`/api/agents/${agentId}/health`, { method: "POST" })).status, 200);

      // Tasks: owned by the authenticated user; a user_id naming someone else is refused.
      const created = await alice("/api/tasks", {
        method: "POST",
        json: { description: "Research bees and summarize it", user_id: "alice" },
      });
      assertEquals(created.status, 201);
      const task = created.body.task_id;
      const session = created.body.session_id;
      const impersonating = await alice("/api/tasks", {
        method: "POST",
        json: { description: "Research wasps", user_id: "bob" },
      });
      assertEquals(impersonating.status, 422);
      assertEquals(impersonating.body.error.details[0].field, "user_id");
      // Bob cannot add a task to Alice's session.
      const intruding = await bob("/api/tasks", {
        method: "POST",
        json: { description: "Research wasps", session_id: session },
      });
      assertEquals(intruding.status, 404);
      const bobTask = (await bob("/api/tasks", {
        method: "POST",
        json: { description: "Research wasps and summarize it" },
      })).body;
      // An admin may act for a user.
      const forAlice = (await admin("/api/tasks", {
        method: "POST",
        json: { description: "Research ants and summarize it", user_id: "alice" },
      })).body;
      const done = async (id: number, who = alice) => {
        for (let i = 0; i < 400; i++) {
          const view = (await who(`/api/tasks/${id}`)).body;
          if (["completed", "failed", "cancelled"].includes(view.status)) return view;
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
        throw new Error(`task ${id} did not finish`);
      };
      assertEquals((await done(task)).status, "completed");
      assertEquals((await done(bobTask.task_id, bob)).status, "completed");

      const ids = async (who: typeof alice, path: string) =>
        (await who<Json[]>(path)).body.map((t) =>
          path.startsWith("/api/sessions") ? t.session_id : t.id
        )
          .sort();
      assertEquals(await ids(alice, "/api/tasks"), [task, forAlice.task_id].sort());
      assertEquals(await ids(bob, "/api/tasks"), [bobTask.task_id]);
      assertEquals((await ids(admin, "/api/tasks")).length, 3);
      assertEquals(await ids(bob, `/api/tasks?session_id=${session}`), []);

      // Another's task, its cancel and its event stream: 404, exactly as a task that is not there.
      const missing = await bob(`/api/tasks/999999`);
      for (
        const [path, method] of [
          [`/api/tasks/${task}`, "GET"],
          [`/api/tasks/${task}/cancel`, "POST"],
          [`/api/tasks/${task}/events`, "GET"],
        ]
      ) {
        const answer = await bob(path, { method });
        assertEquals(answer.status, 404, path);
        assertEquals(
          answer.body.error.message.replace(String(task), "N"),
          missing.body.error.message.replace("999999", "N"),
        );
      }
      const stream = await readSse(`${orch.url}/api/tasks/${task}/events`, {
        headers: { authorization: `Bearer ${ADMIN_KEY}` },
      });
      assertEquals(stream.at(-1)!.event, "task.completed");
      const own = await readSse(`${orch.url}/api/tasks/${task}/events`, {
        headers: { authorization: `Bearer ${(await keyFor("alice"))}` },
      });
      assertEquals(own.map((e) => e.id), stream.map((e) => e.id));
      assertEquals(JSON.parse(own[0].data).actor, "alice", "task.created names its creator");
      assertEquals(
        (await admin(`/api/tasks/${forAlice.task_id}`)).body.user_id,
        "alice",
      );

      // Cancelling: bob's attempt changed nothing; alice's own cancel is named hers.
      const runningTask = (await alice("/api/tasks", {
        method: "POST",
        json: { description: "Research forever and summarize it" },
      })).body;
      const running = runningTask.task_id;
      assertEquals((await bob(`/api/tasks/${running}/cancel`, { method: "POST" })).status, 404);
      assert((await alice(`/api/tasks/${running}`)).body.status !== "cancelled");
      const cancelled = await alice(`/api/tasks/${running}/cancel`, { method: "POST" });
      assertEquals(cancelled.body.status, "cancelled");
      const events = await readSse(`${orch.url}/api/tasks/${running}/events`, {
        headers: { authorization: `Bearer ${ADMIN_KEY}` },
      });
      assertEquals(JSON.parse(events.at(-1)!.data), {
        ...JSON.parse(events.at(-1)!.data),
        type: "task.cancelled",
        actor: "alice",
      });

      // Sessions: in the body or (the original's form) the query string; only one's own.
      const bobSession = await bob("/api/sessions?user_id=bob", { method: "POST" });
      assertEquals(bobSession.status, 201);
      const bobSessionId = bobSession.body.session_id;
      assertEquals(
        (await alice("/api/sessions", { method: "POST", json: { user_id: "bob" } })).status,
        422,
      );
      assertEquals((await alice("/api/sessions?user_id=bob", { method: "POST" })).status, 422);
      const aliceSession = await alice("/api/sessions", { method: "POST", json: {} });
      assertEquals(aliceSession.body.user_id, "alice", "no user_id: the caller's own");
      assertEquals(
        await ids(alice, "/api/sessions"),
        [session, aliceSession.body.session_id, forAlice.session_id, runningTask.session_id].sort(),
      );
      assertEquals(await ids(alice, "/api/sessions?user_id=bob"), []);
      assertEquals((await ids(admin, "/api/sessions")).length, 6);
      for (
        const [path, init] of [
          [`/api/sessions/${session}`, {}],
          [`/api/sessions/${session}/messages`, {}],
          [`/api/sessions/${session}/messages`, {
            method: "POST",
            json: { role: "user", content: "hi" },
          }],
          [`/api/sessions/${session}`, { method: "DELETE" }],
        ] as [string, RequestInit & { json?: unknown }][]
      ) {
        assertEquals((await bob(path, init)).status, 404, `${init.method ?? "GET"} ${path}`);
      }
      // A message of one's own may not point at another's task.
      assertEquals(
        (await bob(`/api/sessions/${bobSessionId}/messages`, {
          method: "POST",
          json: { role: "user", content: "see", task_id: task },
        })).status,
        404,
      );
      assertEquals((await alice(`/api/sessions/${session}`)).body.message_count, 2);
      assertEquals((await alice<Json[]>(`/api/sessions/${session}/messages`)).body.length, 2);
      assertEquals(
        (await admin(`/api/sessions/${bobSessionId}/messages`, {
          method: "POST",
          json: { role: "system", content: "admin note" },
        })).status,
        201,
      );
      assertEquals((await alice(`/api/sessions/${session}`, { method: "DELETE" })).status, 200);
      assertEquals(
        (await admin(`/api/sessions/${bobSessionId}`, { method: "DELETE" })).status,
        200,
      );
      assertEquals((await admin(`/api/tasks/${task}`)).status, 404, "gone with its session");

      // The admin removes the agent; the audit log names who did what.
      assertEquals((await admin(`/api/agents/${agentId}`, { method: "DELETE" })).status, 200);
      const audit = (await admin<Json[]>("/api/audit?limit=1000")).body;
      const entries = audit.map((e) => `${e.actor} ${e.action} ${e.subject}`);
      for (
        const expected of [
          `admin agent.registered agent ${agentId}`,
          `admin agent.removed agent ${agentId}`,
          `bob session.created session ${bobSessionId}`,
          `alice session.deleted session ${session}`,
          `admin session.deleted session ${bobSessionId}`,
        ]
      ) {
        assert(entries.includes(expected), `${expected} in ${entries.join("; ")}`);
      }
      assertEquals(entries.filter((e) => e.includes("key.created")).length, 3);
    } finally {
      await orch.close();
      await agent.close();
    }
  },
);

dbTest(
  "[access] an open service (no key set up) keeps the original's behaviour",
  async ({ url }) => {
    const orch = await startOrchestrator(url, {}, { execute: false });
    try {
      assertEquals((await orch.api<Json>("/api/me")).body, {
        user_id: "anonymous",
        role: "admin",
        via: "open",
      });
      const created = await orch.api<Json>("/api/tasks", {
        method: "POST",
        json: { description: "Research recent AI developments", user_id: "test_user" },
      });
      assertEquals(created.status, 201);
      assertEquals(
        (await orch.api<Json>(`/api/tasks/${created.body.task_id}`)).body.user_id,
        "test_user",
      );
      assertEquals((await orch.api("/api/sessions", { method: "POST", json: {} })).status, 422);
      // A wrong key is still refused.
      assertEquals(
        (await orch.api("/api/tasks", { headers: { authorization: "Bearer nope" } })).status,
        401,
      );
    } finally {
      await orch.close();
    }
  },
);

dbTest(
  "[access] the rate limit counts per user, whichever key or address they come from",
  async ({ url }) => {
    const orch = await startOrchestrator(url, {
      API_KEY: ADMIN_KEY,
      RATE_LIMIT_PER_MINUTE: "2",
      MAX_BODY_BYTES: "2000",
    }, { execute: false });
    try {
      const admin = { authorization: `Bearer ${ADMIN_KEY}` };
      const key = async (user: string) =>
        (await orch.api<Json>("/api/keys", {
          method: "POST",
          headers: admin,
          json: { user_id: user },
        }))
          .body.key;
      // Two keys of alice's share her bucket; bob, from the same address, has his own.
      const alice = [await key("alice"), await key("alice")];
      const bob = await key("bob");
      const submit = (token: string) =>
        orch.api<Json>("/api/tasks", {
          method: "POST",
          headers: { authorization: `Bearer ${token}` },
          json: { description: "Research bees" },
        });
      assertEquals((await submit(alice[0])).status, 201);
      assertEquals((await submit(alice[1])).status, 201);
      const limited = await submit(alice[0]);
      assertEquals(limited.status, 429);
      assert(Number(limited.headers.get("retry-after")) > 0);
      assertEquals((await submit(bob)).status, 201);
      // The body limit stays.
      const big = await orch.api<Json>("/api/tasks", {
        method: "POST",
        headers: { authorization: `Bearer ${bob}` },
        json: { description: "x".repeat(5000) },
      });
      assertEquals(big.status, 413);
    } finally {
      await orch.close();
    }
  },
);
