/**
 * The orchestrator's A2A endpoint and MCP server under 3,000 invalid (and a few valid-looking)
 * JSON-RPC requests: no 5xx, and the service is still healthy. MCP requests mostly carry the
 * Accept header Streamable HTTP asks for, so their bodies are looked at too.
 */
import { assertEquals } from "@app/lib/assert";
import { dbTest } from "@app/db/testing";
import { type FuzzRequest, jsonRpcFuzzRequests, sendFuzz } from "./helpers/fuzz.ts";
import { startOrchestrator } from "./helpers/orchestrator.ts";
import { registerScriptedAgent, startScriptedAgent } from "./helpers/scripted_agent.ts";

function* withMcpAccept(requests: Iterable<FuzzRequest>): Generator<FuzzRequest> {
  let n = 0;
  for (const request of requests) {
    if (request.path === "/mcp" && n++ % 4 !== 0) {
      request.headers.accept = "application/json, text/event-stream";
    }
    yield request;
  }
}

dbTest(
  "[fuzz] /a2a and /mcp: 3,000 invalid JSON-RPC requests, no 5xx, still healthy",
  async ({ url }) => {
    const agent = startScriptedAgent({ name: "Worker", capabilities: ["research"] });
    const orch = await startOrchestrator(url, { MAX_BODY_BYTES: "65536" });
    try {
      await registerScriptedAgent(orch, agent);
      const requests = withMcpAccept(jsonRpcFuzzRequests(["/a2a", "/mcp"], 3_000, 17));
      // deno-lint-ignore no-explicit-any
      const result = await sendFuzz(orch.url, requests as any);
      console.log(`fuzzed ${result.total} requests:`, Object.fromEntries(result.byStatus));
      assertEquals(result.total, 3_000);
      assertEquals(result.fiveHundreds, [], "no request may get a 5xx");
      assertEquals((await orch.api("/health")).status, 200);
    } finally {
      await orch.close();
      await agent.close();
    }
  },
);
