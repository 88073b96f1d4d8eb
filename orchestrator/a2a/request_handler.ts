/**
 * The orchestrator's A2A request handler: the SDK's (with the shared checks), plus what makes
 * an A2A task the orchestrator task it is. CancelTask cancels the task through the lifecycle
 * (its running agent calls are aborted) for whoever may; GetTask of a task whose story no
 * process is telling (a restart, a blocking call that went away) is brought up to date from
 * the task itself; the card follows the registered agents.
 */
import {
  type AgentCard,
  type CancelTaskRequest,
  type GetTaskRequest,
  type Task as A2aTask,
  TaskState,
} from "@a2a-js/sdk";
import type {
  PushNotificationSender,
  PushNotificationStore,
  ServerCallContext,
  TaskStore,
} from "@a2a-js/sdk/server";
import { FINISHED_TASK_STATUSES, getTask, taskIdOfA2aTask } from "@app/db";
import { agentMessage, CheckedRequestHandler } from "@app/lib/a2a";
import type { OrchestratorDeps } from "../deps.ts";
import { actorOf } from "../access.ts";
import { principalOfCall } from "./caller.ts";
import { type OrchestratorExecutor, resultArtifact } from "./executor.ts";

const TERMINAL_STATES: TaskState[] = [
  TaskState.TASK_STATE_COMPLETED,
  TaskState.TASK_STATE_FAILED,
  TaskState.TASK_STATE_CANCELED,
  TaskState.TASK_STATE_REJECTED,
];

const STATE_OF_STATUS: Record<string, TaskState> = {
  completed: TaskState.TASK_STATE_COMPLETED,
  failed: TaskState.TASK_STATE_FAILED,
  cancelled: TaskState.TASK_STATE_CANCELED,
};

export interface OrchestratorHandlerParts {
  card: () => Promise<AgentCard>;
  store: TaskStore;
  executor: OrchestratorExecutor;
  deps: OrchestratorDeps;
  pushStore?: PushNotificationStore;
  pushSender?: PushNotificationSender;
}

export class OrchestratorRequestHandler extends CheckedRequestHandler {
  readonly #parts: OrchestratorHandlerParts;

  constructor(initialCard: AgentCard, parts: OrchestratorHandlerParts) {
    super(
      initialCard,
      parts.store,
      parts.executor,
      undefined,
      parts.pushStore,
      parts.pushSender,
    );
    this.#parts = parts;
  }

  override getAgentCard(): Promise<AgentCard> {
    return this.#parts.card();
  }

  override async getTask(params: GetTaskRequest, context: ServerCallContext): Promise<A2aTask> {
    const task = await super.getTask(params, context);
    return await this.#caughtUp(task, context) ?? task;
  }

  override async cancelTask(
    params: CancelTaskRequest,
    context: ServerCallContext,
  ): Promise<A2aTask> {
    const task = await super.getTask(
      { tenant: params.tenant, id: params.id, historyLength: undefined },
      context,
    );
    const state = task.status?.state;
    if (state === undefined || !TERMINAL_STATES.includes(state)) {
      const taskId = await taskIdOfA2aTask(this.#parts.deps.db, task.id);
      if (taskId !== undefined) {
        await this.#parts.deps.lifecycle.cancel(taskId, actorOf(principalOfCall(context)));
      }
    }
    return await super.cancelTask(params, context);
  }

  /** The task's final state from the orchestrator task, when it ended unseen; else undefined. */
  async #caughtUp(task: A2aTask, context: ServerCallContext): Promise<A2aTask | undefined> {
    const state = task.status?.state;
    if (state !== undefined && TERMINAL_STATES.includes(state)) return undefined;
    if (this.#parts.executor.following(task.id)) return undefined;
    const { db } = this.#parts.deps;
    const taskId = await taskIdOfA2aTask(db, task.id);
    const row = taskId === undefined ? undefined : await getTask(db, taskId);
    if (!row || !FINISHED_TASK_STATUSES.includes(row.status)) return undefined;
    const result = row.result as Record<string, unknown>;
    const text = row.status === "completed"
      ? (typeof result.summary === "string" ? result.summary : "Task completed.")
      : row.status === "failed"
      ? `Task failed: ${row.error ?? "failed"}`
      : "Task cancelled.";
    const message = agentMessage(task.id, task.contextId, text);
    const caughtUp: A2aTask = {
      ...task,
      status: {
        state: STATE_OF_STATUS[row.status],
        message,
        timestamp: row.completed_at ?? row.updated_at,
      },
      artifacts: row.status === "completed" ? [resultArtifact(result)] : task.artifacts,
      history: [...task.history, message],
    };
    await this.#parts.store.save(caughtUp, context);
    return caughtUp;
  }
}
