/**
 * The database going away mid-run: the API answers 503 while it is gone, recovers by itself
 * when it is back, and every accepted task still completes.
 */
import { assert, assertEquals } from "@app/lib/assert";
import { openTestDatabase, postgresTestUrl } from "@app/db/testing";
import { startScriptedAgent } from "./helpers/scripted_agent.ts";
import { startOrchestrator } from "./helpers/orchestrator.ts";
import { startTcpProxy } from "./helpers/tcp_proxy.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

Deno.test({
  name: "[outage] Postgres cut mid-run: 503 while gone, recovers, no accepted task lost (postgres)",
  ignore: !postgresTestUrl(),
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const database = await openTestDatabase("postgres");
    const target = new URL(postgresTestUrl()!);
    const proxy = startTcpProxy({ hostname: target.hostname, port: Number(target.port || 5432) });
    const viaProxy = new URL(database.url);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    const agent = startScriptedAgent({ name: "Slow", capabilities: ["research"], delayMs: 150 });
    const orch = await startOrchestrator(viaProxy.toString(), { LEASE_MS: "1500" });
    try {
      await orch.api("/api/agents", {
        method: "POST",
        json: { name: "Slow", agent_type: "api", endpoint: agent.url, capabilities: ["research"] },
      });
      const accepted: number[] = [];
      for (let i = 0; i < 20; i++) {
        const res = await orch.api<Json>("/api/tasks", {
          method: "POST",
          json: { description: `Research ${i}` },
        });
        assertEquals(res.status, 201);
        accepted.push(res.body.task_id);
      }

      proxy.down();
      const during = await orch.api<Json>("/api/tasks", {
        method: "POST",
        json: { description: "Research more" },
      });
      assertEquals(during.status, 503, JSON.stringify(during.body));
      assertEquals(during.body.error.code, "database_unavailable");
      assertEquals(during.headers.get("retry-after"), "1");
      assertEquals((await orch.api("/health")).status, 503);
      await new Promise((r) => setTimeout(r, 1_000));
      proxy.up();

      // It recovers by itself: new work is accepted and every accepted task completes.
      const deadline = Date.now() + 30_000;
      let after: { status: number; body: Json } | undefined;
      while (Date.now() < deadline) {
        after = await orch.api<Json>("/api/tasks", {
          method: "POST",
          json: { description: "Research after" },
        });
        if (after.status === 201) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      assertEquals(after?.status, 201);
      accepted.push(after!.body.task_id);
      for (const id of accepted) {
        const task = await orch.waitForTask(id, 30_000) as Json;
        assertEquals(task.status, "completed", `task ${id}: ${JSON.stringify(task.error)}`);
      }
      assert((await orch.api("/health")).status === 200);
    } finally {
      proxy.up();
      await orch.close();
      await agent.close();
      proxy.close();
      await database.close();
    }
  },
});
