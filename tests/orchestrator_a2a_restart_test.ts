/**
 * An A2A task outlives the orchestrator process that took it: after a restart, GetTask finds it
 * in the database, and once its orchestrator task ends (here: cancelled through the REST API,
 * which no process's A2A side was watching), GetTask answers the end from the task itself.
 */
import { ClientFactory } from "@a2a-js/sdk/client";
import { TaskState } from "@a2a-js/sdk";
import { assertEquals } from "@app/lib/assert";
import { dbTest } from "@app/db/testing";
import { asTask, sendRequest, userMessage } from "../agents/a2a/testdata/a2a.ts";
import { startOrchestrator } from "./helpers/orchestrator.ts";
import { registerScriptedAgent, startScriptedAgent } from "./helpers/scripted_agent.ts";

dbTest(
  "[a2a endpoint] after a restart, GetTask tells the end of a task no one watched",
  async ({ url }) => {
    const agent = startScriptedAgent({
      name: "Worker",
      capabilities: ["research"],
      behave: () => ({ hang: true }),
    });
    const env = { STEP_TIMEOUT_MS: "5000" };
    const first = await startOrchestrator(url, env);
    let second: Awaited<ReturnType<typeof startOrchestrator>> | undefined;
    try {
      await registerScriptedAgent(first, agent);
      const client = await new ClientFactory().createFromUrl(first.url);
      const task = asTask(
        await client.sendMessage(sendRequest(userMessage("Research tidal power"), true)),
      );
      // Running, and linked (the A2A task names its orchestrator task).
      let restId: unknown;
      while (!agent.calls.size || restId === undefined) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        restId = (await client.getTask({ tenant: "", id: task.id, historyLength: undefined }))
          .metadata?.orchestrator_task_id;
      }
      await first.close();

      second = await startOrchestrator(url, env);
      const again = await new ClientFactory().createFromUrl(second.url);
      const stored = await again.getTask({ tenant: "", id: task.id, historyLength: undefined });
      assertEquals(stored.metadata?.orchestrator_task_id, restId);
      const cancelled = await second.api<{ status: string }>(`/api/tasks/${restId}/cancel`, {
        method: "POST",
      });
      assertEquals(cancelled.body.status, "cancelled");
      const caughtUp = await again.getTask({ tenant: "", id: task.id, historyLength: undefined });
      assertEquals(caughtUp.status?.state, TaskState.TASK_STATE_CANCELED);
    } finally {
      await second?.close();
      await agent.close();
    }
  },
);
