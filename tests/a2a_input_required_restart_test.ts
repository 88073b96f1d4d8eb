/**
 * A question survives the agent: the A2A agent asks for a subject ("Research it"), its process
 * is killed, a new process on the same database takes the answer on the same task and goes on
 * from the graph's checkpoint to the report, the answer as its subject.
 */
import { assert, assertEquals, assertStringIncludes } from "@app/lib/assert";
import { dbTest } from "@app/db/testing";
import { ClientFactory } from "@a2a-js/sdk/client";
import { TaskState } from "@a2a-js/sdk";
import { startA2aAgentProcess } from "./helpers/a2a_agent_process.ts";
import { asTask, reportOf, sendRequest, userMessage } from "../agents/a2a/testdata/a2a.ts";

// With graph workers, as deployed: the asking run is kept on the main thread.
const startAgent = (databaseUrl: string) => startA2aAgentProcess(databaseUrl, { graphWorkers: 1 });

dbTest(
  "[a2a] a question survives a killed agent: the answer resumes the graph in a new process",
  async ({ url, db }) => {
    const first = await startAgent(url);
    let asked;
    try {
      const client = await new ClientFactory().createFromUrl(first.url);
      asked = asTask(await client.sendMessage(sendRequest(userMessage("Research it"))));
      assertEquals(asked.status?.state, TaskState.TASK_STATE_INPUT_REQUIRED);
    } finally {
      await first.kill("SIGKILL");
    }
    const saved = await db.selectFrom("langgraph_checkpoints").select("checkpoint_id")
      .where("thread_id", "=", asked.id).execute();
    assert(saved.length > 0, "the interrupted graph is in the database");

    const second = await startAgent(url);
    try {
      const client = await new ClientFactory().createFromUrl(second.url);
      const waiting = await client.getTask({ tenant: "", id: asked.id, historyLength: undefined });
      assertEquals(waiting.status?.state, TaskState.TASK_STATE_INPUT_REQUIRED);
      const answer = {
        ...userMessage("geothermal energy in Iceland"),
        taskId: asked.id,
        contextId: asked.contextId,
      };
      const done = asTask(await client.sendMessage(sendRequest(answer)));
      assertEquals([done.id, done.contextId], [asked.id, asked.contextId]);
      assertEquals(done.status?.state, TaskState.TASK_STATE_COMPLETED);
      assertStringIncludes(
        reportOf(done).summary as string,
        "Research it: geothermal energy in Iceland",
      );
      const left = await db.selectFrom("langgraph_checkpoints").select("checkpoint_id")
        .where("thread_id", "=", asked.id).execute();
      assertEquals(left.length, 0);
    } finally {
      await second.kill("SIGTERM");
    }
  },
);
