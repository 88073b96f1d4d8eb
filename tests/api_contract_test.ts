/**
 * The API contract (`@app/lib/api_contract`) against a real orchestrator: `/openapi.json`
 * documents every route's answer with a real schema, and real answers match the schemas
 * exactly (no field missing, none extra).
 */
import { assert, assertEquals } from "@app/lib/assert";
import { dbTest } from "@app/db/testing";
import { z } from "zod";
import {
  Agent,
  AgentDeleted,
  AgentHealth,
  AgentStats,
  ApiError,
  CreatedTask,
  Health,
  Message,
  Session,
  SessionDeleted,
  SessionDetail,
  TaskEventMessage,
  TaskView,
} from "@app/lib/api_contract";
import { TASK_EVENT_TYPES } from "@app/lib/task_events";
import { startScriptedAgent } from "./helpers/scripted_agent.ts";
import { startOrchestrator } from "./helpers/orchestrator.ts";
import { readSse } from "./helpers/sse.ts";

type Schema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, unknown>;
  items?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
};
type Operation = {
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
};

/** Every route the orchestrator serves, as `/openapi.json` must list it. */
const ROUTES = [
  "get /health",
  "get /metrics",
  "post /api/tasks",
  "get /api/tasks",
  "get /api/tasks/{id}",
  "post /api/tasks/{id}/cancel",
  "post /api/tasks/{id}/retry",
  "post /api/tasks/{id}/approve",
  "post /api/tasks/{id}/reject",
  "post /api/tasks/{id}/input",
  "get /api/tasks/{id}/events",
  "post /api/agents",
  "post /api/agents/register",
  "get /api/agents",
  "get /api/agents/calls",
  "get /api/agents/stats",
  "get /api/agents/{id}",
  "put /api/agents/{id}",
  "delete /api/agents/{id}",
  "get /api/agents/{id}/health",
  "post /api/agents/{id}/health",
  "post /api/sessions",
  "get /api/sessions",
  "get /api/sessions/{session_id}",
  "delete /api/sessions/{session_id}",
  "post /api/sessions/{session_id}/messages",
  "get /api/sessions/{session_id}/messages",
  "get /api/me",
  "post /api/keys",
  "get /api/keys",
  "delete /api/keys/{id}",
  "get /api/audit",
  "post /mcp",
  "post /a2a",
  "get /.well-known/agent-card.json",
  "get /.well-known/agent.json",
];

dbTest(
  "[contract] /openapi.json: every route's 2xx answer has a schema with properties (or items)",
  async ({ url }) => {
    const orch = await startOrchestrator(url, {}, { execute: false });
    try {
      const { status, body: doc } = await orch.api<{
        paths: Record<string, Record<string, Operation>>;
        components: { schemas: Record<string, Schema> };
      }>("/openapi.json");
      assertEquals(status, 200);
      const resolve = (schema: Schema): Schema => {
        if (!schema.$ref) return schema;
        const found = doc.components.schemas[schema.$ref.replace("#/components/schemas/", "")];
        assert(found, `${schema.$ref} is not among the components`);
        return resolve(found);
      };
      /** An object with properties, an array of them, or a union of such objects. */
      const hasShape = (schema: Schema): boolean => {
        const s = resolve(schema);
        if (s.properties && Object.keys(s.properties).length > 0) return true;
        if (s.items) return hasShape(s.items);
        const members = s.oneOf ?? s.anyOf;
        return !!members?.length && members.every(hasShape);
      };

      const documented: string[] = [];
      for (const [path, methods] of Object.entries(doc.paths)) {
        for (const [method, operation] of Object.entries(methods)) {
          documented.push(`${method} ${path}`);
          const ok = Object.entries(operation.responses).filter(([code]) => code.startsWith("2"));
          assert(ok.length > 0, `${method} ${path} documents no 2xx answer`);
          for (const [code, response] of ok) {
            const where = `${method} ${path} ${code}`;
            const media = Object.entries(response.content ?? {});
            assert(media.length > 0, `${where} has no content`);
            for (const [type, { schema }] of media) {
              assert(schema, `${where} ${type} has no schema`);
              if (type === "text/plain") assertEquals(resolve(schema).type, "string", where);
              else assert(hasShape(schema), `${where} ${type}: ${JSON.stringify(schema)}`);
            }
          }
          // The API's errors are documented with their envelope too (/health's 503 is a Health).
          for (const [code, response] of Object.entries(operation.responses)) {
            if (!/^[45]/.test(code) || !path.startsWith("/api/")) continue;
            assertEquals(
              response.content?.["application/json"]?.schema?.$ref,
              "#/components/schemas/Error",
              `${method} ${path} ${code}`,
            );
          }
        }
      }
      assertEquals(documented.sort(), [...ROUTES].sort());
      const events = doc.paths["/api/tasks/{id}/events"].get.responses["200"];
      const union = resolve(events.content!["text/event-stream"].schema!);
      assertEquals(union.oneOf?.length, TASK_EVENT_TYPES.length, "one member per event type");
    } finally {
      await orch.close();
    }
  },
);

/** Parses with the schema and checks nothing was dropped: the answer has exactly its fields. */
function exactly<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const parsed = schema.safeParse(value);
  assert(parsed.success, `${what}: ${parsed.error?.message}\n${JSON.stringify(value)}`);
  assertEquals(parsed.data, value, `${what} has fields the schema does not know`);
  return parsed.data;
}

dbTest(
  "[contract] real answers (tasks done, failed, cancelled; agents; sessions; events) match it",
  async ({ url }) => {
    const agent = startScriptedAgent({
      name: "Worker",
      capabilities: ["research", "summarization"],
      behave: ({ instruction }) =>
        instruction.includes("doomed")
          ? { status: 400, body: JSON.stringify({ error: "no" }) }
          : instruction.includes("endless")
          ? { hang: true }
          : undefined,
    });
    const orch = await startOrchestrator(url);
    const api = orch.api;
    try {
      exactly(Health, (await api("/health")).body, "health");

      const registered = await api("/api/agents", {
        method: "POST",
        json: {
          name: "Worker",
          agent_type: "API",
          endpoint: agent.url,
          capabilities: agent.capabilities,
        },
      });
      assertEquals(registered.status, 201);
      const worker = exactly(Agent, registered.body, "registered agent");
      exactly(z.array(Agent), (await api("/api/agents")).body, "agents");
      exactly(Agent, (await api(`/api/agents/${worker.id}`)).body, "agent");
      exactly(AgentStats, (await api("/api/agents/stats")).body, "agent stats");
      exactly(
        AgentHealth,
        (await api(`/api/agents/${worker.id}/health`, { method: "POST" })).body,
        "agent health",
      );

      const submit = async (description: string) => {
        const created = await api("/api/tasks", {
          method: "POST",
          json: { description, user_id: "contract" },
        });
        assertEquals(created.status, 201);
        return exactly(CreatedTask, created.body, "created task");
      };
      const done = await submit("Research bees and summarize it");
      const failed = await submit("Research the doomed idea");
      const endless = await submit("Research the endless question");

      const doneView = exactly(TaskView, await orch.waitForTask(done.task_id), "completed task");
      assertEquals(doneView.status, "completed");
      assert(doneView.result.summary && doneView.steps.length === 2);
      const failedView = exactly(TaskView, await orch.waitForTask(failed.task_id), "failed task");
      assertEquals(failedView.status, "failed");
      assertEquals(failedView.result.error, failedView.error);
      while (!agent.calls.size || ![...agent.calls.keys()].some((k) => k.includes("endless"))) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const cancelled = await api(`/api/tasks/${endless.task_id}/cancel`, { method: "POST" });
      assertEquals(exactly(TaskView, cancelled.body, "cancelled task").status, "cancelled");
      exactly(z.array(TaskView), (await api("/api/tasks?limit=10")).body, "task list");

      for (const task of [done, failed, endless]) {
        const events = await readSse(`${orch.url}/api/tasks/${task.task_id}/events`);
        for (const event of events) {
          const message = exactly(TaskEventMessage, JSON.parse(event.data), event.event!);
          assertEquals([message.type, message.task_id], [event.event, task.task_id]);
        }
        assert(["task.completed", "task.failed", "task.cancelled"].includes(events.at(-1)!.event!));
      }

      const session = await api("/api/sessions", { method: "POST", json: { user_id: "u1" } });
      assertEquals(session.status, 201);
      const sessionId = exactly(Session, session.body, "new session").session_id;
      const message = await api(`/api/sessions/${sessionId}/messages`, {
        method: "POST",
        json: { role: "user", content: "hello" },
      });
      exactly(Message, message.body, "message");
      exactly(z.array(Message), (await api(`/api/sessions/${sessionId}/messages`)).body, "msgs");
      const detail = exactly(
        SessionDetail,
        (await api(`/api/sessions/${done.session_id}`)).body,
        "session with messages",
      );
      assertEquals(detail.message_count, 2, "the request and its answer");
      exactly(z.array(Session), (await api("/api/sessions")).body, "sessions");
      exactly(
        SessionDeleted,
        (await api(`/api/sessions/${sessionId}`, { method: "DELETE" })).body,
        "deleted session",
      );
      exactly(
        AgentDeleted,
        (await api(`/api/agents/${worker.id}`, { method: "DELETE" })).body,
        "deleted agent",
      );

      for (
        const [path, init, code] of [
          ["/api/tasks/999", {}, 404],
          ["/api/tasks", { method: "POST", json: { description: "" } }, 422],
          ["/api/tasks", { method: "POST", body: "{not json", headers: jsonType }, 400],
        ] as const
      ) {
        const answer = await api(path, init);
        assertEquals(answer.status, code, path);
        exactly(ApiError, answer.body, `${code} error`);
      }
    } finally {
      await orch.close();
      await agent.close();
    }
  },
);

const jsonType = { "content-type": "application/json" };
