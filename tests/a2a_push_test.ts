/**
 * A2A push notifications, the same on both A2A servers (the orchestrator's endpoint and the
 * built-in agent): a config given with a message is kept by the SDK's store in the project's
 * database, and the task's updates are POSTed to it up to its end, with the config's token; the
 * orchestrator refuses a push URL its outbound guard refuses.
 */
import { type Client, ClientFactory } from "@a2a-js/sdk/client";
import { TaskState } from "@a2a-js/sdk";
import { assert, assertEquals, assertRejects } from "@app/lib/assert";
import { A2A_PUSH_CONFIG_TABLE, ORCHESTRATOR_A2A_PUSH_CONFIG_TABLE } from "@app/db";
import { dbTest } from "@app/db/testing";
import { asTask, userMessage } from "../agents/a2a/testdata/a2a.ts";
import { startAgent } from "../agents/a2a/testdata/start_agent.ts";
import { startOrchestrator } from "./helpers/orchestrator.ts";
import { registerScriptedAgent, startScriptedAgent } from "./helpers/scripted_agent.ts";
import { startWebhookReceiver } from "./helpers/webhook_receiver.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

function pushConfig(url: string) {
  return { tenant: "", id: "", taskId: "", url, token: "push-token", authentication: undefined };
}

/** Sends a message with a push config; resolves with the task id once its end was pushed. */
async function runWithPush(client: Client, receiverUrl: string, hooks: { raw: string }[]) {
  const task = asTask(
    await client.sendMessage({
      tenant: "",
      message: userMessage("Research tidal power"),
      configuration: {
        acceptedOutputModes: [],
        taskPushNotificationConfig: pushConfig(receiverUrl),
        returnImmediately: true,
      },
      metadata: undefined,
    }),
  );
  while (!hooks.some((h) => h.raw.includes(task.id) && h.raw.includes("TASK_STATE_COMPLETED"))) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return task.id;
}

dbTest(
  "[a2a push] both A2A servers keep push configs in the database and push to them",
  async (t) => {
    const receiver = startWebhookReceiver();
    const worker = startScriptedAgent({ name: "Worker", capabilities: ["research"] });
    const orch = await startOrchestrator(t.url);
    const agent = await startAgent({ db: t.db });
    try {
      await registerScriptedAgent(orch, worker);
      for (
        const [name, url, table] of [
          ["orchestrator", orch.url, ORCHESTRATOR_A2A_PUSH_CONFIG_TABLE],
          ["built-in agent", agent.url, A2A_PUSH_CONFIG_TABLE],
        ] as const
      ) {
        const client = await new ClientFactory().createFromUrl(url);
        assertEquals((await client.getAgentCard()).capabilities?.pushNotifications, true, name);
        const before = receiver.received.length;
        const taskId = await runWithPush(client, receiver.url, receiver.received);
        const pushed = receiver.received.slice(before).filter((h) => h.raw.includes(taskId));
        assert(pushed.length >= 1, name);
        const final = await client.getTask({ tenant: "", id: taskId, historyLength: undefined });
        assertEquals(final.status?.state, TaskState.TASK_STATE_COMPLETED, name);
        // Kept by the SDK's store in the project's database, read back through the API.
        const rows = await t.db.selectFrom(table as never).selectAll().execute() as Json[];
        assertEquals(rows.filter((r) => r.task_id === taskId).length, 1, name);
        const listed = await client.listTaskPushNotificationConfig({
          tenant: "",
          taskId,
          pageSize: 10,
          pageToken: "",
        });
        assertEquals(listed.configs.map((c) => c.url), [receiver.url], name);
      }

      // The orchestrator's outbound guard: cloud metadata is never a push target.
      const client = await new ClientFactory().createFromUrl(orch.url);
      await assertRejects(() =>
        client.sendMessage({
          tenant: "",
          message: userMessage("Research tidal power"),
          configuration: {
            acceptedOutputModes: [],
            taskPushNotificationConfig: pushConfig("http://169.254.169.254/latest/meta-data"),
            returnImmediately: true,
          },
          metadata: undefined,
        })
      );
    } finally {
      await agent.close();
      await orch.close();
      await worker.close();
      await receiver.close();
    }
  },
);
