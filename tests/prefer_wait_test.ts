/**
 * `Prefer: wait=N` on `POST /api/tasks` (RFC 7240): the finished task in the response (201),
 * or after N seconds the task as it stands (202); `Preference-Applied` names the wait honoured.
 */
import { assert, assertEquals } from "@app/lib/assert";
import { dbTest } from "@app/db/testing";
import { MAX_PREFER_WAIT_S, preferredWaitSeconds } from "../orchestrator/prefer_wait.ts";
import { startScriptedAgent } from "./helpers/scripted_agent.ts";
import { startOrchestrator } from "./helpers/orchestrator.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

Deno.test("[prefer] the wait preference is read among others, capped, malformed ignored", () => {
  assertEquals(preferredWaitSeconds("wait=10"), 10);
  assertEquals(preferredWaitSeconds("respond-async, wait=5"), 5);
  assertEquals(preferredWaitSeconds('handling=lenient, WAIT = "7"; foo=bar'), 7);
  assertEquals(preferredWaitSeconds("wait=0"), 0);
  assertEquals(preferredWaitSeconds("wait=999999"), MAX_PREFER_WAIT_S);
  assertEquals(preferredWaitSeconds("wait=soon"), undefined);
  assertEquals(preferredWaitSeconds("return=minimal"), undefined);
  assertEquals(preferredWaitSeconds(undefined), undefined);
});

dbTest(
  "[prefer] wait=N answers 201 with the finished task, of one step and of three chained",
  async ({ url }) => {
    const agent = startScriptedAgent({
      name: "Instant",
      capabilities: ["research", "analysis", "summarization"],
    });
    const orch = await startOrchestrator(url);
    try {
      await orch.api("/api/agents", {
        method: "POST",
        json: {
          name: agent.name,
          agent_type: "api",
          endpoint: agent.url,
          capabilities: agent.capabilities,
        },
      });
      const one = await orch.api<Json>("/api/tasks", {
        method: "POST",
        json: { description: "Research blocking submits" },
        headers: { Prefer: "wait=30" },
      });
      assertEquals(one.status, 201, JSON.stringify(one.body));
      assertEquals(one.headers.get("Preference-Applied"), "wait=30");
      assertEquals(one.body.status, "completed", JSON.stringify(one.body));
      assertEquals(one.body.task_id, one.body.id);
      assertEquals(one.body.steps.length, 1);
      assertEquals(one.body.steps[0].status, "completed");
      assert(one.body.completed_at, "the finished task, with its end");

      const three = await orch.api<Json>("/api/tasks", {
        method: "POST",
        json: { description: "Research A; research B. Then summarize both." },
        headers: { Prefer: "respond-async, wait=30" },
      });
      assertEquals(three.status, 201, JSON.stringify(three.body));
      assertEquals(three.body.status, "completed");
      assertEquals(three.body.steps.length, 3);
      assert(three.body.steps.every((s: Json) => s.status === "completed"));

      // Without the preference (or with one not understood), the task as accepted, at once.
      const plain = await orch.api<Json>("/api/tasks", {
        method: "POST",
        json: { description: "Research plain submits" },
        headers: { Prefer: "wait=later" },
      });
      assertEquals(plain.status, 201);
      assertEquals(plain.headers.get("Preference-Applied"), null);
      assertEquals(plain.body.steps, undefined, "the created task, not its view");
      await orch.waitForTask(plain.body.task_id);
    } finally {
      await orch.close();
      await agent.close();
    }
  },
);

dbTest(
  "[prefer] a task still running after wait=N is answered 202 as it stands",
  async ({ url }) => {
    const agent = startScriptedAgent({
      name: "Stuck",
      capabilities: ["research"],
      behave: () => ({ hang: true }),
    });
    const orch = await startOrchestrator(url);
    try {
      await orch.api("/api/agents", {
        method: "POST",
        json: { name: "Stuck", agent_type: "api", endpoint: agent.url, capabilities: ["research"] },
      });
      const held = await orch.api<Json>("/api/tasks", {
        method: "POST",
        json: { description: "Research the stuck agent" },
        headers: { Prefer: "wait=1" },
      });
      assertEquals(held.status, 202, JSON.stringify(held.body));
      assertEquals(held.headers.get("Preference-Applied"), "wait=1");
      assert(!["completed", "failed", "cancelled"].includes(held.body.status), held.body.status);
      assertEquals(held.body.completed_at, null);
      assertEquals(held.body.steps.length, 1);

      const cancelled = await orch.api<Json>(`/api/tasks/${held.body.task_id}/cancel`, {
        method: "POST",
      });
      assertEquals(cancelled.body.status, "cancelled");
    } finally {
      await orch.close();
      await agent.close();
    }
  },
);

dbTest(
  "[prefer] a task that waits on a person (its plan's approval) is answered 202 at once",
  async ({ url }) => {
    const agent = startScriptedAgent({ name: "Instant", capabilities: ["research"] });
    const orch = await startOrchestrator(url);
    try {
      await orch.api("/api/agents", {
        method: "POST",
        json: {
          name: "Instant",
          agent_type: "api",
          endpoint: agent.url,
          capabilities: ["research"],
        },
      });
      // A wait far longer than the test may take: only the task's state can end it early.
      const held = await orch.api<Json>("/api/tasks", {
        method: "POST",
        json: { description: "Research approvals", require_approval: true },
        headers: { Prefer: "wait=300" },
      });
      assertEquals(held.status, 202, JSON.stringify(held.body));
      assertEquals(held.headers.get("Preference-Applied"), "wait=300");
      assertEquals(held.body.status, "awaiting_approval");
      assertEquals(agent.calls.size, 0, "nothing ran before the approval");
    } finally {
      await orch.close();
      await agent.close();
    }
  },
);
