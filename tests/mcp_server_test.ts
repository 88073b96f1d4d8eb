/**
 * The orchestrator as an MCP server, driven by the official MCP SDK client over Streamable
 * HTTP: create_task waits with progress notifications per step, get_task, cancel_task (its
 * running agent call aborted), list_agents; the API key guards /mcp and each user sees only
 * their own tasks, which are the REST API's tasks.
 */
import { assert, assertEquals, assertRejects, assertStringIncludes } from "@app/lib/assert";
import { dbTest } from "@app/db/testing";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Progress } from "@modelcontextprotocol/sdk/types.js";
import { startReachStack } from "./helpers/reach_stack.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;
const ADMIN_KEY = "admin-key-for-mcp-tests";

async function mcpClient(url: string, key?: string): Promise<Client> {
  const client = new Client({ name: "mcp-test", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL("/mcp", url), {
      requestInit: key ? { headers: { authorization: `Bearer ${key}` } } : undefined,
    }),
  );
  return client;
}

dbTest(
  "[mcp server] the SDK's client creates, waits for, reads and cancels tasks",
  async ({ url }) => {
    const { orch, admin, keyFor, agentCalled, close } = await startReachStack(url, ADMIN_KEY);
    const clients: Client[] = [];
    try {
      // No key, no MCP.
      await assertRejects(() => mcpClient(orch.url));
      // Stateless: no standalone SSE stream (it would stay open, holding a graceful shutdown).
      const standalone = await fetch(`${orch.url}/mcp`, {
        headers: { authorization: `Bearer ${ADMIN_KEY}`, accept: "text/event-stream" },
      });
      await standalone.body?.cancel();
      assertEquals([standalone.status, standalone.headers.get("allow")], [405, "POST"]);
      const alice = await mcpClient(orch.url, await keyFor("alice"));
      const bob = await mcpClient(orch.url, await keyFor("bob"));
      clients.push(alice, bob);

      const tools = (await alice.listTools()).tools;
      assertEquals(
        tools.map((t: { name: string }) => t.name).sort(),
        ["cancel_task", "create_task", "get_task", "list_agents"],
      );
      for (const tool of tools) {
        assertEquals(tool.inputSchema.type, "object", tool.name);
        assert(tool.outputSchema, `${tool.name} declares its structured result`);
      }

      const listed = await alice.callTool({ name: "list_agents", arguments: {} });
      assertEquals((listed.structuredContent as Json).agents.map((a: Json) => a.name), ["Worker"]);

      const progress: Progress[] = [];
      const waited = await alice.callTool(
        {
          name: "create_task",
          arguments: { description: "Research solar power and summarize it", wait: true },
        },
        undefined,
        { onprogress: (p: Progress) => progress.push(p) },
      );
      const task = waited.structuredContent as Json;
      assertEquals(task.status, "completed", JSON.stringify(waited));
      assert(task.summary, "the result's summary");
      assertStringIncludes((waited.content as Json[])[0].text, "completed");
      assert(
        progress.some((p) => /Step 1 started/.test(p.message ?? "")),
        JSON.stringify(progress),
      );
      assert(progress.some((p) => /Step 1 completed/.test(p.message ?? "")));
      assertEquals(progress.at(-1)?.message, "Task completed.");
      assertEquals(progress.at(-1)?.progress, task.steps.length);
      assertEquals(progress.at(-1)?.total, task.steps.length);

      // The same task in the REST API, owned by alice.
      const rest = await admin(`/api/tasks/${task.task_id}`);
      assertEquals(rest.body.user_id, "alice");
      assertEquals(rest.body.status, "completed");

      const got = await alice.callTool({ name: "get_task", arguments: { task_id: task.task_id } });
      assertEquals((got.structuredContent as Json).status, "completed");
      // Bob cannot see it: the answer is the same as for a task that does not exist.
      const hidden = await bob.callTool({ name: "get_task", arguments: { task_id: task.task_id } });
      assertEquals(hidden.isError, true);
      assertStringIncludes((hidden.content as Json[])[0].text, "not found");

      // A follow-up in the same session continues it.
      const followUp = await alice.callTool({
        name: "create_task",
        arguments: { description: "Summarize that", session_id: task.session_id, wait: true },
      });
      assertEquals((followUp.structuredContent as Json).session_id, task.session_id);

      const started = await alice.callTool({
        name: "create_task",
        arguments: { description: "Research this forever" },
      });
      const running = started.structuredContent as Json;
      assert(["pending", "executing"].includes(running.status), running.status);
      // Cancelled while its agent call is in flight.
      await agentCalled("Research this forever", 0);
      const cancelled = await alice.callTool({
        name: "cancel_task",
        arguments: { task_id: running.task_id },
      });
      assertEquals((cancelled.structuredContent as Json).status, "cancelled");
      assertEquals((await admin(`/api/tasks/${running.task_id}`)).body.status, "cancelled");

      // A bad argument is the SDK's validation error naming the field, not a crash.
      const bad = await alice.callTool({ name: "get_task", arguments: { task_id: "x" } });
      assertEquals(bad.isError, true);
      assertStringIncludes(JSON.stringify(bad.content), "task_id");
    } finally {
      for (const client of clients) await client.close();
      await close();
    }
  },
);
