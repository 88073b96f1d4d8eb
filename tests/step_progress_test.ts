/**
 * Each step's output live: what the built-in A2A agent streams while a step runs (a status
 * per graph node) reaches the task's SSE stream as `step.progress` events, coalesced, before
 * the step's completion; the step's output is stored as before.
 */
import { assert, assertEquals } from "@app/lib/assert";
import { listEvents } from "@app/db";
import { dbTest } from "@app/db/testing";
import { parseConfig, silentLogger } from "@app/lib";
import { createApp as createA2aAgent } from "../agents/a2a/app.ts";
import { freePort } from "./helpers/free_port.ts";
import { startOrchestrator } from "./helpers/orchestrator.ts";
import { readSse } from "./helpers/sse.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

/** The agent's working statuses for one message: "Research started.", then each of four graph
 * nodes started and finished. */
const STATUS_CHUNKS = 1 + 4 * 2;

dbTest(
  "[progress] a running A2A step's stream arrives as step.progress before it completes",
  async ({ url, db }) => {
    const port = freePort();
    const base = `http://127.0.0.1:${port}`;
    const agent = createA2aAgent({
      config: parseConfig({ LLM_PROVIDER: "offline" }),
      logger: silentLogger,
      llm: null,
      db,
      publicUrl: base,
      nodeDelayMs: 300,
    });
    const server = Deno.serve({ port, hostname: "127.0.0.1", onListen() {} }, agent.fetch);
    const orch = await startOrchestrator(url);
    try {
      await orch.api("/api/agents", { method: "POST", json: { url: base } });
      const created = await orch.api<Json>("/api/tasks", {
        method: "POST",
        json: { description: "Research streaming agents" },
      });
      assertEquals(created.status, 201, JSON.stringify(created.body));
      const id = created.body.task_id;
      const events = await readSse(`${orch.url}/api/tasks/${id}/events`, { timeoutMs: 30_000 });
      const types = events.map((e) => e.event);
      assertEquals(types.at(-1), "task.completed", types.join(" "));

      const progress = events.filter((e) => e.event === "step.progress");
      const completedAt = types.indexOf("step.completed");
      assert(progress.length >= 1, `progress events: ${types.join(" ")}`);
      assert(types.lastIndexOf("step.progress") < completedAt, "all of them before the completion");
      assert(types.indexOf("step.started") < types.indexOf("step.progress"));
      const data = progress.map((e) => JSON.parse(e.data));
      assertEquals(data[0].step_number, 1);
      assert(
        data.every((d) => /^(Research started\.|\w+ (started|finished))$/.test(d.status)),
        JSON.stringify(data),
      );
      assert(
        progress.length < STATUS_CHUNKS,
        `coalesced: ${progress.length} events for ${STATUS_CHUNKS} chunks`,
      );

      // Stored as the stream showed them, and the step's output as ever.
      const stored = (await listEvents(db, id)).filter((e) => e.type === "step.progress");
      assertEquals(stored.length, progress.length);
      const task = (await orch.api<Json>(`/api/tasks/${id}`)).body;
      assert(String(task.steps[0].output_data.summary).length > 0);
    } finally {
      await orch.close();
      await server.shutdown();
    }
  },
);
