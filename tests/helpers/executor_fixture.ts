/**
 * The executor's parts on a real database, with real agents over HTTP: a lifecycle, an agent
 * client, agents registered in the database, and a task stored leased to "me" to run.
 */
import type { TestDatabase } from "@app/db/testing";
import { type Agent, createAgent, listEvents, WriteBatcher } from "@app/db";
import { silentLogger } from "@app/lib";
import { createAgentClient } from "../../orchestrator/agent_client.ts";
import { type Submission, TaskLifecycle } from "../../orchestrator/lifecycle/lifecycle.ts";
import { Metrics } from "../../orchestrator/metrics.ts";
import { createNotifier } from "../../orchestrator/notifier.ts";
import type { TaskRunDeps } from "../../orchestrator/executor/task_run.ts";
import type { ScriptedAgent } from "./scripted_agent.ts";

export const OWNER = "me";

export async function executorFixture(t: TestDatabase, scripted: ScriptedAgent[]) {
  const notifier = await createNotifier(t.db, silentLogger);
  const writes = new WriteBatcher(t.db);
  const lifecycle = new TaskLifecycle({ db: t.db, writes, notifier });
  const agents: Agent[] = [];
  for (const agent of scripted) {
    agents.push(
      await createAgent(t.db, {
        name: agent.name,
        agent_type: "api",
        endpoint: agent.url,
        capabilities: agent.capabilities,
      }),
    );
  }
  const deps: TaskRunDeps = {
    db: t.db,
    lifecycle,
    agentClient: createAgentClient(),
    metrics: new Metrics(),
    agents: () => Promise.resolve(agents),
    owner: OWNER,
    stepConcurrency: 4,
    historyMessages: 10,
    settings: { stepTimeoutMs: 2_000, maxRetries: 2, retryBaseMs: 5 },
  };
  /** Stores a task of these steps, leased to OWNER, as a submit with a free slot does. */
  const submit = (
    steps: { step_number: number; capability: string; dependencies?: number[] }[],
    extra: Partial<Submission> = {},
  ) =>
    lifecycle.submit({
      session_id: `sess_${crypto.randomUUID().slice(0, 8)}`,
      user_id: "u",
      description: "a task for the executor's parts",
      plan: {},
      metadata: {},
      lease: { owner: OWNER, leaseMs: 30_000 },
      steps: steps.map((s) => ({ ...s, description: `step ${s.step_number}` })),
      ...extra,
    });
  const eventTypes = async (taskId: number) => (await listEvents(t.db, taskId)).map((e) => e.type);
  return { deps, lifecycle, writes, agents, submit, eventTypes, close: () => notifier.close() };
}
