/**
 * An A2A message to the orchestrator runs an orchestrator task: the message text is the
 * description, the A2A context is the session (a second message in it continues the
 * conversation), and the A2A task is linked to the task, which the REST API and UI show too.
 * Its life is told on the SDK's bus as it is written to the task's event log: a working status
 * per step event, then the result as an artifact (summary as text, the full result as data).
 */
import { type Artifact, TaskState } from "@a2a-js/sdk";
import {
  AgentEvent,
  type AgentExecutor,
  type ExecutionEventBus,
  type RequestContext,
} from "@a2a-js/sdk/server";
import { linkA2aTask } from "@app/db";
import { dataPart, statusEvent, textOfParts, textPart } from "@app/lib/a2a";
import type { OrchestratorDeps } from "../deps.ts";
import type { TaskIntake } from "../task_service.ts";
import { taskEventStream } from "../task_event_stream.ts";
import { submitAs } from "../reach/submit.ts";
import { progressLine } from "../reach/progress.ts";
import { principalOfCall } from "./caller.ts";

export const RESULT_ARTIFACT = "result";
/** Where the A2A task names the orchestrator task it is (its metadata). */
export const TASK_ID_METADATA = "orchestrator_task_id";

const now = () => new Date().toISOString();

/** The artifact of a completed task: its summary as text, the whole result as data. */
export function resultArtifact(result: Record<string, unknown>): Artifact {
  const summary = typeof result.summary === "string" ? result.summary : "";
  return {
    artifactId: RESULT_ARTIFACT,
    name: RESULT_ARTIFACT,
    description: "The task's result: the summary, and every step's output as data.",
    parts: [textPart(summary), dataPart(result)],
    metadata: undefined,
    extensions: [],
  };
}

export class OrchestratorExecutor implements AgentExecutor {
  readonly #following = new Map<string, { controller: AbortController; contextId: string }>();

  constructor(
    private readonly deps: OrchestratorDeps,
    private readonly intake: TaskIntake | undefined,
  ) {}

  /** Whether this process is telling the A2A task's story now. */
  following(a2aTaskId: string): boolean {
    return this.#following.has(a2aTaskId);
  }

  execute = async (context: RequestContext, bus: ExecutionEventBus): Promise<void> => {
    const { taskId, contextId, userMessage } = context;
    const controller = new AbortController();
    // Once cancelled, cancelTask has published the final state: anything later would reopen it.
    const publish = (event: Parameters<ExecutionEventBus["publish"]>[0]) => {
      if (!controller.signal.aborted) bus.publish(event);
    };
    const status = (state: TaskState, text?: string, metadata?: Record<string, unknown>) =>
      publish(statusEvent(taskId, contextId, state, text, { metadata }));
    if (context.task) {
      // Our tasks never stop to ask for input: a message to one still running is answered
      // on its own, and the run goes on.
      status(
        TaskState.TASK_STATE_WORKING,
        "This task is running; send a new message in the same context to follow it up.",
      );
      return;
    }
    publish(AgentEvent.task({
      id: taskId,
      contextId,
      status: { state: TaskState.TASK_STATE_SUBMITTED, message: undefined, timestamp: now() },
      artifacts: [],
      history: [userMessage],
      metadata: userMessage.metadata,
    }));
    const description = textOfParts(userMessage.parts).trim();
    if (!description) {
      status(TaskState.TASK_STATE_REJECTED, "The message has no text to work on.");
      return;
    }
    this.#following.set(taskId, { controller, contextId });
    try {
      let created;
      try {
        created = await submitAs(this.deps, this.intake, principalOfCall(context.context), {
          description,
          session_id: contextId,
          metadata: { a2a_task_id: taskId },
        });
        await linkA2aTask(this.deps.db, taskId, created.task_id);
      } catch (error) {
        status(
          TaskState.TASK_STATE_REJECTED,
          `The task was not accepted: ${error instanceof Error ? error.message : error}`,
        );
        return;
      }
      const steps = created.plan.steps.map((s) => `${s.step_number}. ${s.description}`);
      status(
        TaskState.TASK_STATE_WORKING,
        `Planned ${steps.length} step(s):\n${steps.join("\n")}`,
        { [TASK_ID_METADATA]: created.task_id, session_id: created.session_id },
      );
      const events = taskEventStream(this.deps, created.task_id, { signal: controller.signal });
      for await (const item of events) {
        if (item.kind !== "event") continue;
        const event = item.message;
        if (event.type === "task.completed") {
          const result = (event.result ?? {}) as Record<string, unknown>;
          publish(AgentEvent.artifactUpdate({
            taskId,
            contextId,
            artifact: resultArtifact(result),
            append: false,
            lastChunk: true,
            metadata: undefined,
          }));
          status(
            TaskState.TASK_STATE_COMPLETED,
            typeof result.summary === "string" ? result.summary : "Task completed.",
          );
        } else if (event.type === "task.failed") {
          status(TaskState.TASK_STATE_FAILED, `Task failed: ${event.error}`);
        } else if (event.type === "task.cancelled") {
          status(TaskState.TASK_STATE_CANCELED, "Task cancelled.");
        } else {
          const line = progressLine(event);
          if (line) status(TaskState.TASK_STATE_WORKING, line);
        }
      }
    } catch (error) {
      if (controller.signal.aborted) return;
      // Losing sight of the task (the database went away, the process is stopping) does not
      // end it: it runs on, and GetTask brings the A2A task up to date from it later.
      this.deps.logger.warn("a2a task no longer followed", {
        a2a_task_id: taskId,
        error: String(error),
      });
    } finally {
      this.#following.delete(taskId);
    }
  };

  /** The orchestrator task is cancelled by the request handler (it knows who asks); this
   * stops telling the story and tells its end. */
  cancelTask = (taskId: string, bus: ExecutionEventBus): Promise<void> => {
    const following = this.#following.get(taskId);
    following?.controller.abort();
    bus.publish(statusEvent(taskId, following?.contextId ?? "", TaskState.TASK_STATE_CANCELED));
    return Promise.resolve();
  };
}
