/**
 * The orchestrator's A2A endpoint passes the TCK-style checks the built-in agent passes (see
 * agents/a2a/testdata/tck_checks.ts): every check the SDK's reference server passes, ours must.
 */
import { assertEquals } from "@app/lib/assert";
import { dbTest } from "@app/db/testing";
import { startReferenceServer } from "../agents/a2a/testdata/reference_server.ts";
import { CHECKS, target } from "../agents/a2a/testdata/tck_checks.ts";
import { startOrchestrator } from "./helpers/orchestrator.ts";
import { registerScriptedAgent, startScriptedAgent } from "./helpers/scripted_agent.ts";

dbTest(
  "[a2a endpoint] conformance: the orchestrator passes every TCK-style check the reference passes",
  async ({ url }, t) => {
    const reference = await startReferenceServer();
    const agent = startScriptedAgent({ name: "Worker", capabilities: ["research"] });
    const orch = await startOrchestrator(url);
    try {
      await registerScriptedAgent(orch, agent);
      const targets = [
        await target("reference", reference.url),
        await target("orchestrator", orch.url, `${orch.url}/a2a`),
      ];
      for (const [name, check] of Object.entries(CHECKS)) {
        const results: Record<string, string> = {};
        for (const server of targets) {
          try {
            await check(server);
            results[server.name] = "pass";
          } catch (error) {
            results[server.name] = `FAIL: ${error instanceof Error ? error.message : error}`;
          }
        }
        await t.step(name, () => {
          assertEquals(results.reference, "pass", "the reference must pass the check");
          assertEquals(results.orchestrator, "pass");
        });
      }
    } finally {
      await orch.close();
      await agent.close();
      await reference.close();
    }
  },
);
