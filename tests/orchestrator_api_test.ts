/** The orchestrator's API contract: SSE replay, bad input, auth, aliases, metrics. */
import { assert, assertEquals, assertStringIncludes } from "@app/lib/assert";
import { dbTest } from "@app/db/testing";
import { startScriptedAgent } from "./helpers/scripted_agent.ts";
import { startOrchestrator } from "./helpers/orchestrator.ts";
import { readSse } from "./helpers/sse.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

dbTest(
  "[api] SSE: a late client gets the whole history; Last-Event-ID resumes after it",
  async ({ url }) => {
    const agent = startScriptedAgent({ name: "A", capabilities: ["research", "summarization"] });
    const orch = await startOrchestrator(url);
    try {
      await orch.api("/api/agents", {
        method: "POST",
        json: {
          name: "A",
          agent_type: "api",
          endpoint: agent.url,
          capabilities: agent.capabilities,
        },
      });
      const created = await orch.api<Json>("/api/tasks", {
        method: "POST",
        json: { description: "Research bees and summarize it" },
      });
      const id = created.body.task_id;
      // Live: connect at once and follow until the end.
      const live = await readSse(`${orch.url}/api/tasks/${id}/events`);
      const types = live.map((e) => e.event);
      assertEquals(types[0], "task.created");
      assertEquals(types.at(-1), "task.completed");
      for (const expected of ["task.started", "step.started", "step.completed"]) {
        assert(types.includes(expected), `${expected} in ${types}`);
      }
      assertEquals(types.filter((t) => t === "step.completed").length, 2);
      const ids = live.map((e) => Number(e.id));
      assertEquals(ids, [...ids].sort((a, b) => a - b), "ids grow");

      // Late: the same full history after the task finished.
      const late = await readSse(`${orch.url}/api/tasks/${id}/events`);
      assertEquals(late.map((e) => e.id), live.map((e) => e.id));
      assertEquals(
        JSON.parse(late.at(-1)!.data).result.summary,
        (await orch.waitForTask(id) as Json).result.summary,
      );

      // Reconnect: only what came after the given id.
      const resumeFrom = live[2].id!;
      const rest = await readSse(`${orch.url}/api/tasks/${id}/events`, {
        headers: { "Last-Event-ID": resumeFrom },
      });
      assertEquals(rest.map((e) => e.id), live.slice(3).map((e) => e.id));
      const missing = await orch.api<Json>("/api/tasks/999/events");
      assertEquals(missing.status, 404);
    } finally {
      await orch.close();
      await agent.close();
    }
  },
);

dbTest("[api] bad requests get 400/404/413/422 naming the problem, never 500", async ({ url }) => {
  const orch = await startOrchestrator(url, { MAX_BODY_BYTES: "20000" });
  try {
    const cases: [string, string, RequestInit, number, string][] = [
      ["POST", "/api/tasks", { body: "{not json" }, 400, "bad_request"],
      ["POST", "/api/tasks", { body: "{}" }, 422, "description"],
      ["POST", "/api/tasks", { body: JSON.stringify({ description: 42 }) }, 422, "description"],
      ["POST", "/api/tasks", { body: JSON.stringify({ description: "  " }) }, 422, "description"],
      [
        "POST",
        "/api/tasks",
        { body: JSON.stringify({ description: "x", user_id: 7 }) },
        422,
        "user_id",
      ],
      ["POST", "/api/tasks", { body: JSON.stringify({ description: "a\u0000b" }) }, 422, "NUL"],
      [
        "POST",
        "/api/tasks",
        { body: JSON.stringify({ description: "x".repeat(30_000) }) },
        413,
        "payload_too_large",
      ],
      ["POST", "/api/tasks", { body: "[]" }, 422, "validation_failed"],
      ["GET", "/api/tasks/999", {}, 404, "task 999"],
      ["GET", "/api/tasks/abc", {}, 422, "id"],
      ["GET", "/api/tasks/-1", {}, 422, "id"],
      ["GET", "/api/tasks?status=bogus", {}, 422, "status"],
      ["GET", "/api/tasks?limit=0", {}, 422, "limit"],
      ["GET", "/api/tasks?cursor=zzz", {}, 422, "cursor"],
      ["POST", "/api/tasks/999/cancel", {}, 404, "task 999"],
      ["POST", "/api/agents", { body: JSON.stringify({ name: "x" }) }, 422, "endpoint"],
      ["POST", "/api/agents", { body: JSON.stringify({ endpoint: "ftp://x" }) }, 422, "endpoint"],
      [
        "POST",
        "/api/agents",
        { body: JSON.stringify({ endpoint: "http://x", agent_type: "robot" }) },
        422,
        "agent_type",
      ],
      [
        "POST",
        "/api/agents/register",
        { body: JSON.stringify({ url: "http://127.0.0.1:9" }) },
        422,
        "agent card",
      ],
      ["GET", "/api/agents/12345", {}, 404, "agent 12345"],
      ["DELETE", "/api/agents/12345", {}, 404, "agent 12345"],
      ["GET", "/api/agents/12345/health", {}, 404, "agent 12345"],
      ["PUT", "/api/agents/12345", { body: JSON.stringify({ status: "sleepy" }) }, 422, "status"],
      ["POST", "/api/sessions", { body: "{}" }, 422, "user_id"],
      ["GET", "/api/sessions/sess_nope", {}, 404, "sess_nope"],
      ["DELETE", "/api/sessions/sess_nope", {}, 404, "sess_nope"],
      [
        "POST",
        "/api/sessions/sess_nope/messages",
        { body: JSON.stringify({ role: "user", content: "x" }) },
        404,
        "sess_nope",
      ],
      ["GET", "/api/nowhere", {}, 404, "not_found"],
    ];
    for (const [method, path, init, status, mention] of cases) {
      const res = await fetch(orch.url + path, {
        method,
        headers: { "content-type": "application/json" },
        ...init,
      });
      const text = await res.text();
      assertEquals(res.status, status, `${method} ${path} -> ${res.status} ${text}`);
      assertStringIncludes(text, mention, `${method} ${path}`);
      assertEquals(typeof JSON.parse(text).error.message, "string", `${method} ${path} envelope`);
    }
    const session = await orch.api<Json>("/api/sessions", {
      method: "POST",
      json: { user_id: "u" },
    });
    const badRole = await orch.api<Json>(`/api/sessions/${session.body.session_id}/messages`, {
      method: "POST",
      json: { role: "wizard", content: "x" },
    });
    assertEquals(badRole.status, 422);
    assertEquals(badRole.body.error.details[0].field, "role");
  } finally {
    await orch.close();
  }
});

dbTest(
  "[api] with API_KEY set, /api needs the bearer key; health, docs and metrics stay open",
  async ({ url }) => {
    const orch = await startOrchestrator(url, { API_KEY: "s3cret" });
    try {
      assertEquals((await orch.api("/api/agents")).status, 401);
      assertEquals(
        (await orch.api("/api/agents", { headers: { authorization: "Bearer wrong" } })).status,
        401,
      );
      const ok = await orch.api<Json[]>("/api/agents", {
        headers: { authorization: "Bearer s3cret" },
      });
      assertEquals([ok.status, ok.body], [200, []]);
      for (const open of ["/health", "/metrics", "/docs", "/openapi.json"]) {
        assertEquals((await orch.api(open)).status, 200, open);
      }
    } finally {
      await orch.close();
    }
    const open = await startOrchestrator(url);
    try {
      assertEquals((await open.api("/api/agents")).status, 200, "no key: open");
    } finally {
      await open.close();
    }
  },
);

dbTest(
  "[api] the original's routes: register alias, PUT, stats, sessions by query, lowercase enums",
  async ({ url }) => {
    const agent = startScriptedAgent({ name: "Stats", capabilities: ["analysis"] });
    const orch = await startOrchestrator(url);
    try {
      const registered = await orch.api<Json>("/api/agents/register", {
        method: "POST",
        json: {
          name: "ResearchAgent",
          description: "AI research assistant",
          agent_type: "A2A_SERVER",
          endpoint: "http://localhost:8001",
          capabilities: ["research", "analysis"],
        },
      });
      assertEquals(registered.status, 201);
      assertEquals(registered.body.agent_type, "a2a_server");
      assertEquals(registered.body.status, "active");
      const dup = await orch.api<Json>("/api/agents", {
        method: "POST",
        json: { name: "ResearchAgent", endpoint: "http://x", capabilities: ["x"] },
      });
      assertEquals(dup.status, 409);
      // An API agent registered by URL describes itself at /capabilities.
      const byUrl = await orch.api<Json>("/api/agents", {
        method: "POST",
        json: { url: agent.url, agent_type: "api" },
      });
      assertEquals([byUrl.status, byUrl.body.name, byUrl.body.capabilities], [201, "Stats", [
        "analysis",
      ]]);

      const list = await orch.api<Json[]>("/api/agents");
      assert(Array.isArray(list.body));
      assertEquals(list.body.map((a) => a.name), ["ResearchAgent", "Stats"]);
      assertEquals(
        (await orch.api<Json[]>("/api/agents?capability=research")).body.map((a) => a.name),
        ["ResearchAgent"],
      );

      const put = await orch.api<Json>(`/api/agents/${registered.body.id}`, {
        method: "PUT",
        json: { description: "updated" },
      });
      assertEquals(put.body.description, "updated");
      // Renaming onto another agent's name is the database's unique violation, answered 409.
      const rename = await orch.api<Json>(`/api/agents/${byUrl.body.id}`, {
        method: "PUT",
        json: { name: "ResearchAgent" },
      });
      assertEquals([rename.status, rename.body.error.code], [409, "conflict"]);

      const health = await orch.api<Json>(`/api/agents/${registered.body.id}/health`, {
        method: "POST",
      });
      assertEquals([health.body.healthy, health.body.status], [false, "inactive"]);
      assert(health.body.last_error);
      const healthy = await orch.api<Json>(`/api/agents/${byUrl.body.id}/health`);
      assertEquals([healthy.body.healthy, healthy.body.status], [true, "active"]);
      assert(healthy.body.last_seen_at);

      const stats = await orch.api<Json>("/api/agents/stats");
      assertEquals(stats.body, {
        total: 2,
        active: 1,
        inactive: 1,
        error: 0,
        by_type: { a2a_server: 1, api: 1 },
        // No LLM work yet (the usage test counts it).
        usage_by_agent: [],
      });

      const session = await orch.api<Json>("/api/sessions?user_id=user123", { method: "POST" });
      assertEquals(session.status, 201);
      assertEquals(session.body.user_id, "user123");
      const sid = session.body.session_id;
      await orch.api(`/api/sessions/${sid}/messages`, {
        method: "POST",
        json: { role: "user", content: "Tell me about AI" },
      });
      const got = await orch.api<Json>(`/api/sessions/${sid}`);
      assertEquals(got.body.message_count, 1);
      assertEquals(got.body.last_activity, got.body.messages[0].created_at);
      const byUser = await orch.api<Json[]>("/api/sessions?user_id=user123");
      assertEquals(byUser.body.map((s) => s.session_id), [sid]);
      assertEquals(
        (await orch.api<Json>(`/api/sessions/${sid}`, { method: "DELETE" })).status,
        200,
      );
      assertEquals((await orch.api<Json>(`/api/sessions/${sid}`)).status, 404);

      const metrics = await orch.api<string>("/metrics");
      assertStringIncludes(metrics.body, 'orchestrator_agents{status="active"} 1');
      assertStringIncludes(metrics.body, "orchestrator_step_duration_seconds_count");
      const rss = Number(/^process_resident_memory_bytes (\d+)$/m.exec(metrics.body)?.[1]);
      assert(rss > 10_000_000, `a resident size in bytes, not ${rss}`);
      assertStringIncludes(metrics.body, "deno_heap_used_bytes ");
    } finally {
      await orch.close();
      await agent.close();
    }
  },
);
