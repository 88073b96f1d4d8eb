/**
 * Agents only the orchestrator can call: the built-in agents refuse calls without
 * AGENT_API_KEY (their card stays public and declares the scheme); the orchestrator sends the
 * key to them, and an external agent's credentials given at registration on every call, never
 * showing them in an answer.
 */
import { assert, assertEquals, assertStringIncludes } from "@app/lib/assert";
import { dbTest } from "@app/db/testing";
import { startAgent as startA2aAgent } from "../agents/a2a/testdata/start_agent.ts";
import { startAgent as startApiAgent } from "../agents/api/testdata/server.ts";
import { startOrchestrator } from "./helpers/orchestrator.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;
const AGENT_KEY = "agent-key-for-tests";
const env = { AGENT_API_KEY: AGENT_KEY };

Deno.test("[agents] the built-in agents refuse a call without their key; the card stays public", async () => {
  const api = startApiAgent({ env });
  const a2a = await startA2aAgent({ env });
  try {
    const process = { operation: "summarize", input: "Bees pollinate. Bees make honey." };
    const message = {
      jsonrpc: "2.0",
      id: 1,
      method: "message/send",
      params: {
        message: {
          kind: "message",
          messageId: "m1",
          role: "user",
          parts: [{ kind: "text", text: "Research bees" }],
        },
      },
    };
    for (
      const [url, path, body] of [
        [api.url, "/api/process", process],
        [api.url, "/api/summarize", { input: "Bees pollinate." }],
        [api.url, "/process", { task_type: "summarize", data: "Bees pollinate." }],
        [a2a.url, "/", message],
        [a2a.url, "/a2a", message],
        [a2a.url, "/process", { description: "Research bees" }],
      ] as [string, string, unknown][]
    ) {
      for (const authorization of [undefined, "Bearer wrong", `Basic ${AGENT_KEY}`]) {
        const response = await fetch(url + path, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            ...(authorization && { authorization }),
          },
          body: JSON.stringify(body),
        });
        const answer = await response.json();
        assertEquals(response.status, 401, `${path} with ${authorization}`);
        assertEquals(answer.error.code, "unauthorized");
      }
    }
    const allowed = await fetch(`${api.url}/api/process`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${AGENT_KEY}` },
      body: JSON.stringify(process),
    });
    assertEquals(allowed.status, 200);
    await allowed.body?.cancel();

    // Public: health, capabilities, docs and the card, which declares the scheme in both versions.
    for (
      const [url, path] of [[api.url, "/health"], [api.url, "/capabilities"], [a2a.url, "/health"]]
    ) {
      const response = await fetch(url + path);
      assertEquals(response.status, 200, path);
      await response.body?.cancel();
    }
    const v1 = await (await fetch(`${a2a.url}/.well-known/agent-card.json`, {
      headers: { "A2A-Version": "1.0" },
    })).json();
    assertEquals(v1.securitySchemes.bearer.httpAuthSecurityScheme.scheme, "Bearer");
    assertEquals(v1.securityRequirements, [{ schemes: { bearer: {} } }]);
    const v03 = await (await fetch(`${a2a.url}/.well-known/agent.json`)).json();
    assertEquals(v03.securitySchemes.bearer, {
      type: "http",
      scheme: "bearer",
      description: v03.securitySchemes.bearer.description,
    });
    assertEquals(v03.security, [{ bearer: [] }]);
  } finally {
    await api.close();
    await a2a.close();
  }
});

dbTest(
  "[agents] the orchestrator sends AGENT_API_KEY to its built-in agents; tasks complete",
  async ({ url }) => {
    const api = startApiAgent({ env });
    const a2a = await startA2aAgent({ env });
    const orch = await startOrchestrator(
      url,
      { ...env, A2A_AGENT_URL: a2a.url, API_AGENT_URL: api.url },
      { registerBuiltIns: true },
    );
    try {
      let agents: Json[] = [];
      for (let i = 0; i < 200 && agents.length < 2; i++) {
        agents = (await orch.api<Json[]>("/api/agents")).body;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      assertEquals(agents.map((a) => a.agent_type).sort(), ["a2a_server", "api"]);
      const created = await orch.api<Json>("/api/tasks", {
        method: "POST",
        json: { description: "Research solar power and summarize the findings" },
      });
      const task = await orch.waitForTask(created.body.task_id) as Json;
      assertEquals(task.status, "completed", JSON.stringify(task.error));
      const used = new Set(task.steps.map((s: Json) => s.agent_name));
      assertEquals(used.size, 2, "both built-in agents answered");
      assert(!JSON.stringify(agents).includes(AGENT_KEY), "the key is in no answer");
    } finally {
      await orch.close();
      await api.close();
      await a2a.close();
    }
  },
);

dbTest(
  "[agents] an external agent's credentials go with every call and never come back",
  async ({ url }) => {
    const seen: (string | null)[] = [];
    const secret = "ext-token-9f8e7d";
    const external = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (req) => {
      const path = new URL(req.url).pathname;
      if (path === "/health") return Response.json({ status: "healthy" });
      seen.push(req.headers.get("x-api-key"));
      if (req.headers.get("x-api-key") !== secret) return new Response("no", { status: 401 });
      await req.body?.cancel();
      return Response.json({ summary: "External work done.", insights: [] });
    });
    const endpoint = `http://127.0.0.1:${external.addr.port}`;
    const orch = await startOrchestrator(url);
    try {
      const registered = await orch.api<Json>("/api/agents", {
        method: "POST",
        json: {
          name: "External",
          agent_type: "api",
          endpoint,
          capabilities: ["research", "summarization"],
          credentials: { header: "X-API-Key", value: secret },
        },
      });
      assertEquals(registered.status, 201);
      const answers = [
        registered.body,
        (await orch.api(`/api/agents/${registered.body.id}`)).body,
        (await orch.api("/api/agents")).body,
        (await orch.api("/api/audit")).body,
      ];
      for (const answer of answers) assert(!JSON.stringify(answer).includes(secret), "not shown");
      const task = await orch.waitForTask(
        (await orch.api<Json>("/api/tasks", {
          method: "POST",
          json: { description: "Research tides and summarize it" },
        })).body.task_id,
      ) as Json;
      assertEquals(task.status, "completed", JSON.stringify(task.error));
      assert(seen.length >= 2 && seen.every((h) => h === secret), JSON.stringify(seen));

      // Replaced by PUT (a bearer token now), then removed: the agent then refuses the calls.
      const bad = await orch.api<Json>(`/api/agents/${registered.body.id}`, {
        method: "PUT",
        json: { credentials: { token: "x", header: "y" } },
      });
      assertEquals(bad.status, 422);
      const removed = await orch.api<Json>(`/api/agents/${registered.body.id}`, {
        method: "PUT",
        json: { credentials: null },
      });
      assertEquals(removed.status, 200);
      seen.length = 0;
      const failed = await orch.waitForTask(
        (await orch.api<Json>("/api/tasks", {
          method: "POST",
          json: { description: "Research tides and summarize it" },
        })).body.task_id,
      ) as Json;
      assertEquals(failed.status, "failed");
      assertStringIncludes(failed.error, "401");
      assert(seen.length > 0 && seen.every((h) => h === null), JSON.stringify(seen));
    } finally {
      await orch.close();
      await external.shutdown();
    }
  },
);
