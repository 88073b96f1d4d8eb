/**
 * The A2A yardstick: the SDK's own Express server with an executor that completes every task
 * at once. The benchmark drives it and our agent with the same client in the same run.
 */
import express from "express";
import { TaskState } from "@a2a-js/sdk";
import {
  AgentEvent,
  type AgentExecutor,
  DefaultRequestHandler,
  type ExecutionEventBus,
  InMemoryTaskStore,
  type RequestContext,
} from "@a2a-js/sdk/server";
import { jsonRpcHandler, UserBuilder } from "@a2a-js/sdk/server/express";
import { buildAgentCard } from "../../agents/a2a/card.ts";

class InstantExecutor implements AgentExecutor {
  execute(context: RequestContext, bus: ExecutionEventBus): Promise<void> {
    const { taskId, contextId } = context;
    bus.publish(AgentEvent.task({
      id: taskId,
      contextId,
      status: { state: TaskState.TASK_STATE_COMPLETED, message: undefined, timestamp: undefined },
      artifacts: [],
      history: [],
      metadata: undefined,
    }));
    bus.finished();
    return Promise.resolve();
  }
  cancelTask(): Promise<void> {
    return Promise.resolve();
  }
}

const port = Number(Deno.args[0] ?? 0);
const listener = Deno.listen({ hostname: "127.0.0.1", port });
const chosen = (listener.addr as Deno.NetAddr).port;
listener.close();
const url = `http://127.0.0.1:${chosen}`;
const handler = new DefaultRequestHandler(
  buildAgentCard(url),
  new InMemoryTaskStore(),
  new InstantExecutor(),
);
const app = express();
app.use(express.json());
app.post(
  "/",
  jsonRpcHandler({ requestHandler: handler, userBuilder: UserBuilder.noAuthentication }),
);
app.listen(chosen, "127.0.0.1", () => console.log(JSON.stringify({ msg: "listening", url })));
