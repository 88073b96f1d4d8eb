/**
 * The orchestrator as an MCP server: tools to create a task (and optionally wait for its end,
 * with progress notifications per step), read one, cancel one and list the agents. Built per
 * request for its caller (stateless Streamable HTTP), so every tool acts as that principal.
 */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type { ServerNotification, ServerRequest } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { TaskView } from "@app/lib/api_contract";
import { notFound } from "@app/lib";
import type { OrchestratorDeps } from "../deps.ts";
import type { Principal } from "../auth/principal.ts";
import { actorOf, ownerFilter, visibleTask } from "../access.ts";
import { loadTaskView, type TaskIntake } from "../task_service.ts";
import { taskEventStream } from "../task_event_stream.ts";
import { submitAs } from "../reach/submit.ts";
import { endsStep, progressLine } from "../reach/progress.ts";

/** What the SDK hands a tool besides its arguments: progress token, signal, notifications. */
type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

export const MCP_SERVER_INFO = { name: "multi-agent-orchestrator", version: "1.0.0" };

const TaskOutput = {
  task_id: z.number().int(),
  session_id: z.string(),
  status: z.string(),
  description: z.string(),
  summary: z.string().optional().describe("the result's summary, once completed"),
  result: z.record(z.string(), z.unknown()),
  error: z.string().nullable(),
  steps: z.array(z.object({
    step_number: z.number().int(),
    description: z.string(),
    capability: z.string(),
    agent_name: z.string().nullable(),
    status: z.string(),
    error: z.string().nullable(),
  })),
  created_at: z.string(),
  completed_at: z.string().nullable(),
};

function taskOutput(view: TaskView) {
  return {
    task_id: view.id,
    session_id: view.session_id,
    status: view.status,
    description: view.description,
    ...(typeof view.result?.summary === "string" && { summary: view.result.summary }),
    result: view.result ?? {},
    error: view.error,
    steps: view.steps.map((s) => ({
      step_number: s.step_number,
      description: s.description,
      capability: s.capability,
      agent_name: s.agent_name,
      status: s.status,
      error: s.error,
    })),
    created_at: view.created_at,
    completed_at: view.completed_at,
  };
}

/** A tool's answer: the structured result, and the same as text for clients that show text. */
function answer(structured: Record<string, unknown>, text: string) {
  return { content: [{ type: "text" as const, text }], structuredContent: structured };
}

function taskText(view: ReturnType<typeof taskOutput>): string {
  const head = `Task ${view.task_id} (session ${view.session_id}): ${view.status}.`;
  return [head, view.summary ?? view.error ?? ""].filter(Boolean).join("\n");
}

export function createMcpServer(
  deps: OrchestratorDeps,
  intake: TaskIntake | undefined,
  principal: Principal,
): McpServer {
  const server = new McpServer(MCP_SERVER_INFO, {
    instructions: "Hand the orchestrator a task in plain language with create_task; it plans " +
      "it into steps and runs them on its agents. Pass wait=true to get the result.",
  });
  const owner = ownerFilter(principal);
  const view = async (id: number) => {
    const found = await loadTaskView(deps.db, deps.agents, id, owner);
    if (!found) throw notFound(`task ${id}`);
    return taskOutput(found);
  };

  server.registerTool("create_task", {
    title: "Create a task",
    description: "Plans a task described in plain language and runs it on the registered " +
      "agents. With wait=true, answers when it has ended (progress is notified per step); " +
      "otherwise at once, with the task id to follow with get_task.",
    inputSchema: {
      description: z.string().trim().min(1).max(10_000).describe("what to do"),
      session_id: z.string().min(1).max(200).optional()
        .describe("continue this session's conversation (default: a new session)"),
      wait: z.boolean().optional().describe("wait until the task has ended"),
    },
    outputSchema: TaskOutput,
  }, async (args: { description: string; session_id?: string; wait?: boolean }, extra: Extra) => {
    const created = await submitAs(deps, intake, principal, {
      description: args.description,
      session_id: args.session_id,
    });
    if (args.wait) {
      const total = created.plan.steps.length;
      const token = extra._meta?.progressToken;
      let done = 0;
      for await (
        const item of taskEventStream(deps, created.task_id, { signal: extra.signal })
      ) {
        if (item.kind !== "event" || token === undefined) continue;
        if (endsStep(item.message)) done++;
        const message = progressLine(item.message);
        if (!message) continue;
        await extra.sendNotification({
          method: "notifications/progress",
          params: { progressToken: token, progress: done, total, message },
        }).catch(() => {});
      }
    }
    const output = await view(created.task_id);
    return answer(output, taskText(output));
  });

  server.registerTool("get_task", {
    title: "Get a task",
    description: "A task's status, steps and result.",
    inputSchema: { task_id: z.number().int().positive() },
    outputSchema: TaskOutput,
  }, async (args: { task_id: number }) => {
    const output = await view(args.task_id);
    return answer(output, taskText(output));
  });

  server.registerTool("cancel_task", {
    title: "Cancel a task",
    description: "Cancels a task that has not ended; its running agent calls are aborted.",
    inputSchema: { task_id: z.number().int().positive() },
    outputSchema: TaskOutput,
  }, async (args: { task_id: number }) => {
    await visibleTask(deps.db, principal, args.task_id);
    await deps.lifecycle.cancel(args.task_id, actorOf(principal));
    const output = await view(args.task_id);
    return answer(output, taskText(output));
  });

  server.registerTool("list_agents", {
    title: "List agents",
    description: "The agents tasks can run on, with their capabilities and health.",
    inputSchema: {
      capability: z.string().optional().describe("only agents with this capability"),
    },
    outputSchema: {
      agents: z.array(z.object({
        id: z.number().int(),
        name: z.string(),
        description: z.string(),
        agent_type: z.string(),
        capabilities: z.array(z.string()),
        status: z.string(),
      })),
    },
  }, async (args: { capability?: string }) => {
    const wanted = args.capability?.toLowerCase();
    const agents = (await deps.agents())
      .filter((a) => !wanted || a.capabilities.some((c) => c.toLowerCase() === wanted))
      .map((a) => ({
        id: a.id,
        name: a.name,
        description: a.description,
        agent_type: a.agent_type,
        capabilities: a.capabilities,
        status: a.status,
      }));
    const text = agents.map((a) => `${a.name} (${a.status}): ${a.capabilities.join(", ")}`)
      .join("\n") || "No agents registered.";
    return answer({ agents }, text);
  });

  return server;
}
