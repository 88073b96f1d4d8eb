/** 10,000 invalid requests across every orchestrator route: no 5xx, and it keeps answering. */
import { assertEquals } from "@app/lib/assert";
import { dbTest } from "@app/db/testing";
import { startOrchestrator } from "./helpers/orchestrator.ts";
import { fuzzRequests, type FuzzRoute, sendFuzz } from "./helpers/fuzz.ts";

const ROUTES: FuzzRoute[] = [
  {
    method: "POST",
    path: "/api/tasks",
    body: { description: "Research x", user_id: "u", session_id: "sess_x", metadata: {} },
  },
  { method: "GET", path: "/api/tasks" },
  { method: "GET", path: "/api/tasks/{id}" },
  { method: "POST", path: "/api/tasks/{id}/cancel" },
  { method: "POST", path: "/api/tasks/{id}/retry" },
  { method: "GET", path: "/api/tasks?q={id}&since=2020-01-01&agent_id=1&status=failed" },
  { method: "GET", path: "/api/tasks/{id}/events" },
  {
    method: "POST",
    path: "/api/agents",
    body: { name: "a", agent_type: "api", endpoint: "http://127.0.0.1:1", capabilities: ["x"] },
  },
  {
    method: "POST",
    path: "/api/agents/register",
    body: { name: "b", endpoint: "http://127.0.0.1:1", capabilities: ["x"] },
  },
  { method: "GET", path: "/api/agents" },
  { method: "GET", path: "/api/agents/stats" },
  { method: "GET", path: "/api/agents/calls" },
  { method: "GET", path: "/api/agents/{id}" },
  { method: "PUT", path: "/api/agents/{id}", body: { description: "d", status: "active" } },
  { method: "DELETE", path: "/api/agents/{id}" },
  { method: "GET", path: "/api/agents/{id}/health" },
  { method: "POST", path: "/api/sessions", body: { user_id: "u", metadata: {} } },
  { method: "GET", path: "/api/sessions" },
  { method: "GET", path: "/api/sessions/{id}" },
  { method: "DELETE", path: "/api/sessions/{id}" },
  { method: "POST", path: "/api/sessions/{id}/messages", body: { role: "user", content: "hi" } },
  { method: "GET", path: "/api/sessions/{id}/messages" },
];

dbTest("[fuzz] orchestrator: 10,000 invalid requests, no 5xx, still healthy", async ({ url }) => {
  const orch = await startOrchestrator(url, { MAX_BODY_BYTES: "65536" });
  try {
    const result = await sendFuzz(orch.url, fuzzRequests(ROUTES, 10_000, 42));
    console.log(`fuzzed ${result.total} requests:`, Object.fromEntries(result.byStatus));
    assertEquals(result.total, 10_000);
    assertEquals(result.fiveHundreds, [], "no request may get a 5xx");
    assertEquals((await orch.api("/health")).status, 200);
  } finally {
    await orch.close();
  }
});
