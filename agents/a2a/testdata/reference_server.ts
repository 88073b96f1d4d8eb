/**
 * The A2A yardstick for conformance tests: the SDK's own Express adapters (JSON-RPC and agent
 * card, v0.3 compatibility on) over its in-memory store, with an executor that answers at once
 * (task, artifact, completed), serving the same card as our agent.
 */
import express from "express";
import { type Part, Role, TaskState } from "@a2a-js/sdk";
import {
  AgentEvent,
  type AgentExecutor,
  DefaultRequestHandler,
  type ExecutionEventBus,
  InMemoryTaskStore,
  type RequestContext,
} from "@a2a-js/sdk/server";
import { agentCardHandler, jsonRpcHandler, UserBuilder } from "@a2a-js/sdk/server/express";
import { buildAgentCard } from "../card.ts";

const text = (value: string): Part => ({
  content: { $case: "text", value },
  metadata: undefined,
  filename: "",
  mediaType: "text/plain",
});

class InstantExecutor implements AgentExecutor {
  execute(context: RequestContext, bus: ExecutionEventBus): Promise<void> {
    const { taskId, contextId, userMessage } = context;
    const timestamp = new Date().toISOString();
    if (!context.task) {
      bus.publish(AgentEvent.task({
        id: taskId,
        contextId,
        status: { state: TaskState.TASK_STATE_SUBMITTED, message: undefined, timestamp },
        artifacts: [],
        history: [userMessage],
        metadata: undefined,
      }));
    }
    bus.publish(AgentEvent.artifactUpdate({
      taskId,
      contextId,
      artifact: {
        artifactId: "echo",
        name: "echo",
        description: "",
        parts: [text("done")],
        metadata: undefined,
        extensions: [],
      },
      append: false,
      lastChunk: true,
      metadata: undefined,
    }));
    bus.publish(AgentEvent.statusUpdate({
      taskId,
      contextId,
      status: {
        state: TaskState.TASK_STATE_COMPLETED,
        message: {
          messageId: crypto.randomUUID(),
          taskId,
          contextId,
          role: Role.ROLE_AGENT,
          parts: [text("done")],
          metadata: undefined,
          extensions: [],
          referenceTaskIds: [],
        },
        timestamp,
      },
      metadata: undefined,
    }));
    bus.finished();
    return Promise.resolve();
  }

  cancelTask(taskId: string, bus: ExecutionEventBus): Promise<void> {
    bus.publish(AgentEvent.statusUpdate({
      taskId,
      contextId: "",
      status: { state: TaskState.TASK_STATE_CANCELED, message: undefined, timestamp: undefined },
      metadata: undefined,
    }));
    bus.finished();
    return Promise.resolve();
  }
}

export async function startReferenceServer(): Promise<{ url: string; close(): Promise<void> }> {
  const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (probe.addr as Deno.NetAddr).port;
  probe.close();
  const url = `http://127.0.0.1:${port}`;
  const handler = new DefaultRequestHandler(
    buildAgentCard(url),
    new InMemoryTaskStore(),
    new InstantExecutor(),
  );
  const app = express();
  const card = agentCardHandler({ agentCardProvider: handler, legacyCompat: { enabled: true } });
  app.use("/.well-known/agent-card.json", card);
  app.use("/.well-known/agent.json", card);
  app.use(
    "/",
    jsonRpcHandler({
      requestHandler: handler,
      userBuilder: UserBuilder.noAuthentication,
      legacyCompat: { enabled: true },
    }),
  );
  const server = await new Promise<ReturnType<typeof app.listen>>((resolve) => {
    const listening = app.listen(port, "127.0.0.1", () => resolve(listening));
  });
  return {
    url,
    close: () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Deno's close() leaves open a connection that never sent a request (denoland/deno#36513),
      // such as one Deno's fetch keeps spare in its pool, until the client drops it (90-180 s).
      // Every request has been answered by now.
      server.closeAllConnections();
      return closed;
    },
  };
}
