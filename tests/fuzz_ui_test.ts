/**
 * 10,000 invalid requests across every route of the UI service (pages, form posts, static files
 * and the /api/* proxy), the UI running as its own process in front of a real orchestrator
 * (tests/ui_stack.ts): no 5xx — not even a 502, since the orchestrator stays up — and the UI and
 * the orchestrator behind it still answer their health checks.
 */
import { assertEquals } from "@app/lib/assert";
import { startUiStack } from "./ui_stack.ts";
import { fuzzRequests, type FuzzRoute, sendFuzz } from "./helpers/fuzz.ts";

const ROUTES: FuzzRoute[] = [
  { method: "GET", path: "/health" },
  { method: "GET", path: "/" },
  { method: "POST", path: "/sessions", body: { user_id: "u" }, form: true },
  { method: "GET", path: "/sessions/{id}" },
  { method: "POST", path: "/sessions/{id}/tasks", body: { description: "Research x" }, form: true },
  { method: "GET", path: "/tasks/{id}" },
  { method: "POST", path: "/tasks/{id}/cancel", body: {}, form: true },
  { method: "POST", path: "/tasks/{id}/retry", body: {}, form: true },
  { method: "GET", path: "/tasks" },
  { method: "POST", path: "/chat", body: { user_id: "u", description: "Research x" }, form: true },
  { method: "POST", path: "/sessions/{id}/delete", body: {}, form: true },
  { method: "GET", path: "/agents" },
  { method: "POST", path: "/agents", body: { url: "http://127.0.0.1:1" }, form: true },
  { method: "POST", path: "/agents/{id}/health", body: {}, form: true },
  { method: "POST", path: "/agents/{id}/delete", body: {}, form: true },
  { method: "GET", path: "/static/{id}" },
  { method: "GET", path: "/islands/{id}" },
  // The proxy: the orchestrator's own answers, passed through.
  { method: "GET", path: "/api/tasks" },
  { method: "POST", path: "/api/tasks", body: { description: "Research x", user_id: "u" } },
  { method: "GET", path: "/api/tasks/{id}" },
  { method: "GET", path: "/api/tasks/{id}/events" },
  { method: "POST", path: "/api/tasks/{id}/cancel" },
  { method: "POST", path: "/api/tasks/{id}/retry" },
  { method: "GET", path: "/api/agents/calls" },
  { method: "POST", path: "/api/sessions", body: { user_id: "u", metadata: {} } },
  { method: "GET", path: "/api/sessions/{id}" },
  { method: "GET", path: "/api/agents" },
  { method: "GET", path: "/{id}" },
];

Deno.test({
  name: "[fuzz] UI: 10,000 invalid requests, no 5xx (no 502 either), still healthy",
  // The UI process's output pumps and the orchestrator's executor outlive single awaits.
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const stack = await startUiStack();
    try {
      const result = await sendFuzz(stack.ui, fuzzRequests(ROUTES, 10_000, 17));
      const counts = Object.fromEntries([...result.byStatus].sort(([a], [b]) => a - b));
      console.log(`ui: fuzzed ${result.total} requests:`, counts);
      assertEquals(result.total, 10_000);
      if (result.fiveHundreds.length) {
        console.log(stack.process.output.filter((line) => line.includes('"error"')).slice(0, 5));
      }
      assertEquals(result.fiveHundreds, [], "no request may get a 5xx");
      const health = await fetch(`${stack.ui}/health`);
      assertEquals([health.status, (await health.json()).status], [200, "healthy"]);
      assertEquals((await stack.orch.api("/health")).status, 200);
      // The UI still renders a page from the orchestrator's API.
      assertEquals((await stack.page("/agents")).status, 200);
    } finally {
      await stack.close();
    }
  },
});
