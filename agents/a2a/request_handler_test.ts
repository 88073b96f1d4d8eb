import { assertEquals, assertStringIncludes } from "@app/lib/assert";
import { dbTest } from "@app/db/testing";
import { startAgent } from "./testdata/start_agent.ts";

async function rpc(url: string, method: string, params: unknown) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", "A2A-Version": "1.0" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  assertEquals(response.status, 200);
  return await response.json();
}

const message = (contextId: string) => ({
  message: {
    messageId: crypto.randomUUID(),
    role: "ROLE_USER",
    parts: [{ text: "Hi" }],
    contextId,
  },
});

dbTest(
  "[a2a] keys the task table cannot hold get a clear error, not a failed write",
  async ({ db }) => {
    const agent = await startAgent({ db });
    try {
      const long = await rpc(agent.url, "SendMessage", message("c".repeat(37)));
      assertEquals(long.error?.code, -32602, JSON.stringify(long));
      assertStringIncludes(long.error.message, "message.contextId");
      const nul = await rpc(agent.url, "SendMessage", message("a\0b"));
      assertEquals(nul.error?.code, -32602, JSON.stringify(nul));
      const tenant = await rpc(agent.url, "GetTask", { id: "x", tenant: "t".repeat(256) });
      assertStringIncludes(tenant.error?.message, "tenant");
      for (const id of ["x".repeat(37), "a\0b"]) {
        assertEquals((await rpc(agent.url, "GetTask", { id })).error?.code, -32001);
        assertEquals((await rpc(agent.url, "CancelTask", { id })).error?.code, -32001);
      }
      const ok = await rpc(agent.url, "SendMessage", message("c".repeat(36)));
      assertEquals(ok.result?.task?.contextId, "c".repeat(36), "36 characters fit");
    } finally {
      await agent.close();
    }
  },
);
