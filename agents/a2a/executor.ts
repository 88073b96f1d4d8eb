/**
 * The A2A side of the agent: runs the research graph for a message and publishes the task's
 * life on the SDK's event bus (working per node, the "report" artifact, completed), and stops
 * the graph when the task is cancelled. A request with nothing to work on leaves the task
 * `input-required` with the graph's question; the next message to the task is the answer,
 * and the graph goes on from its checkpoint.
 */
import { type Artifact, type Message, type Part, Role, TaskState } from "@a2a-js/sdk";
import {
  AgentEvent,
  type AgentExecutionEvent,
  type AgentExecutor,
  type ExecutionEventBus,
  type RequestContext,
} from "@a2a-js/sdk/server";
import type { AgentAnswers, Json } from "@app/db";
import type { Logger } from "@app/lib";
import { inputFromMessage } from "./input.ts";
import { a2aReport, type Report } from "./report.ts";
import type { ResearchOutcome, ResearchService } from "./research.ts";
import { meterUsage, toWireUsage } from "@app/lib/usage";
import { contextFrom, inSpan } from "@app/lib/tracing";

/** A report with the LLM usage of the run that made it (none offline). */
type MeteredReport = Report & { usage?: Record<string, unknown> };

export const REPORT_ARTIFACT = "report";
/** The model's answers as they stream, before the report: appended to in chunks. */
export const DRAFT_ARTIFACT = "draft";
/** Tokens gather this long into one artifact chunk: each event costs the task store a save. */
const TOKEN_FLUSH_MS = 100;

/** Where a caller puts its idempotency key: the message's metadata (the orchestrator does). */
export const IDEMPOTENCY_KEY_METADATA = "idempotencyKey";

/** The message's idempotency key, if it carries a usable one. */
export function idempotencyKeyOf(message: Message | undefined): string | undefined {
  const key = message?.metadata?.[IDEMPOTENCY_KEY_METADATA];
  return typeof key === "string" && key.trim() && key.length <= 255 ? key.trim() : undefined;
}

const textPart = (value: string): Part => ({
  content: { $case: "text", value },
  metadata: undefined,
  filename: "",
  mediaType: "text/plain",
});

const dataPart = (value: Record<string, unknown>): Part => ({
  content: { $case: "data", value },
  metadata: undefined,
  filename: "",
  mediaType: "application/json",
});

function agentMessage(
  taskId: string,
  contextId: string,
  text: string,
  metadata?: Record<string, unknown>,
): Message {
  return {
    messageId: crypto.randomUUID(),
    taskId,
    contextId,
    role: Role.ROLE_AGENT,
    parts: [textPart(text)],
    metadata,
    extensions: [],
    referenceTaskIds: [],
  };
}

/** The graph stopped to ask: nothing is stored for the message's idempotency key, so the
 * answer (another message, another key) is never answered with the question. */
class Asked extends Error {
  constructor(readonly question: string) {
    super("the research graph asks a question");
  }
}

/** Everything an answer message says, as one text. */
function answerText(input: ReturnType<typeof inputFromMessage>): string {
  return [input.instruction, ...input.texts].filter(Boolean).join("\n");
}

/** Whether anyone can watch a task's progress while it runs: not a blocking `SendMessage`,
 * whose caller sees only the result. */
export type WatchedRequest = (context: RequestContext) => boolean;

export class ResearchExecutor implements AgentExecutor {
  readonly #running = new Map<string, { controller: AbortController; contextId: string }>();

  constructor(
    private readonly deps: {
      research: ResearchService;
      logger: Logger;
      /** Defaults to every request being watched: progress is always published. */
      watched?: WatchedRequest;
      /** Reports by idempotency key: a repeated key gets the stored report, no new run. */
      answers?: AgentAnswers;
    },
  ) {}

  execute = async (context: RequestContext, bus: ExecutionEventBus): Promise<void> => {
    const { taskId, contextId, userMessage } = context;
    const log = this.deps.logger.child({ task_id: taskId, context_id: contextId });
    const controller = new AbortController();
    this.#running.set(taskId, { controller, contextId });
    // Streams and non-blocking sends (and whoever subscribes to them) see every step. A new
    // task from a blocking SendMessage, whose caller sees only the result, is published twice:
    // working (so it is listed and can be cancelled while it runs) and finished. Each event
    // costs the SDK a load, copies and a save of the whole task: the twelve of a watched run
    // cost more than the offline graph itself. A message to an existing task is always
    // watched, so the task's history is appended to, not replaced.
    const quiet = !context.task && !(this.deps.watched?.(context) ?? true);
    // Once cancelled, cancelTask has published the final state: anything later would reopen it.
    const publish = (event: AgentExecutionEvent) => {
      if (!controller.signal.aborted) bus.publish(event);
    };
    const status = (
      state: TaskState,
      text?: string,
      metadata?: Record<string, unknown>,
      taskMetadata?: Record<string, unknown>,
    ) =>
      publish(AgentEvent.statusUpdate({
        taskId,
        contextId,
        status: {
          state,
          message: text ? agentMessage(taskId, contextId, text, metadata) : undefined,
          timestamp: now(),
        },
        // Event metadata is merged into the task's: the node belongs to the message, the
        // run's usage to the task.
        metadata: taskMetadata,
      }));

    try {
      const input = inputFromMessage(userMessage);
      // A message to a task that asked is the answer to its question.
      const answering = context.task?.status?.state === TaskState.TASK_STATE_INPUT_REQUIRED;
      if (context.task) {
        // A stream opens with the task, a message to an existing one too (the SDK insists).
        publish(AgentEvent.task({
          ...context.task,
          status: { state: TaskState.TASK_STATE_WORKING, message: undefined, timestamp: now() },
        }));
      } else {
        publish(AgentEvent.task({
          id: taskId,
          contextId,
          status: {
            state: quiet && input.instruction
              ? TaskState.TASK_STATE_WORKING
              : TaskState.TASK_STATE_SUBMITTED,
            message: undefined,
            timestamp: now(),
          },
          artifacts: [],
          history: [userMessage],
          metadata: userMessage.metadata,
        }));
      }
      if (!input.instruction && !answering) {
        status(TaskState.TASK_STATE_REJECTED, "The message has no text or task to work on.");
        return;
      }
      log.debug(answering ? "task answered" : "task started", {
        instruction: input.instruction.slice(0, 200),
      });
      if (!quiet) {
        status(TaskState.TASK_STATE_WORKING, answering ? "Answer received." : "Research started.");
      }
      const draft = quiet ? undefined : new DraftStream(taskId, contextId, publish);
      const options = {
        contextId,
        signal: controller.signal,
        onNode: quiet
          ? undefined
          : ({ node, phase }: { node: string; phase: string }) =>
            status(TaskState.TASK_STATE_WORKING, `${node} ${phase}`, { node, phase }),
        onToken: draft && ((token: string) => draft.push(token)),
      };
      const { research } = this.deps;
      const start = () => research.start(input, { ...options, threadId: taskId });
      const run = async (): Promise<ResearchOutcome> => {
        // Nothing saved waits (it was cleared): the answer is then a request of its own.
        if (answering) return await research.resume(taskId, answerText(input), options) ?? start();
        return await start();
      };
      // The LLM usage of the run travels with its report (a repeat by key reports it again:
      // the caller records it once, with the step).
      const metered = async () => {
        const { value: outcome, usage } = await meterUsage(() =>
          run().finally(() => draft?.flush())
        );
        if (outcome.kind === "question") throw new Asked(outcome.question);
        return { ...outcome.report, usage: toWireUsage(usage) } as unknown as Json;
      };
      // The run continues the caller's trace: from the message's `traceparent` (A2A metadata,
      // which survives any transport), else the request's own span.
      const traceparent = userMessage.metadata?.traceparent;
      const work = () =>
        inSpan("research", {
          attributes: { "a2a.task_id": taskId, "a2a.context_id": contextId },
          ...(typeof traceparent === "string" && { parent: contextFrom(traceparent) }),
        }, metered);
      const key = idempotencyKeyOf(userMessage);
      let finished: MeteredReport;
      try {
        finished = (key && this.deps.answers
          ? (await this.deps.answers.once(key, work, controller.signal)).answer
          : await work()) as unknown as MeteredReport;
      } catch (error) {
        if (!(error instanceof Asked) || controller.signal.aborted) throw error;
        // The question is the status message, so the caller can show it and answer it.
        status(TaskState.TASK_STATE_INPUT_REQUIRED, error.question);
        log.debug("task asks", { question: error.question });
        return;
      }
      const { usage, ...report } = finished;
      /** The task's metadata `usage`, where callers read what the run spent. */
      const usageMetadata = usage ? { usage } : undefined;
      const artifact: Artifact = {
        artifactId: REPORT_ARTIFACT,
        name: REPORT_ARTIFACT,
        description: "The research report: summary, insights, findings, open questions.",
        parts: [textPart(report.summary), dataPart(a2aReport(report))],
        metadata: undefined,
        extensions: [],
      };
      if (!quiet) {
        publish(AgentEvent.artifactUpdate({
          taskId,
          contextId,
          artifact,
          append: false,
          lastChunk: true,
          metadata: undefined,
        }));
        status(TaskState.TASK_STATE_COMPLETED, report.summary, undefined, usageMetadata);
      } else {
        // The finished task in one event, as the SDK would have stored it after the artifact
        // and the completed status (whose message joins the history).
        const message = agentMessage(taskId, contextId, report.summary);
        publish(AgentEvent.task({
          id: taskId,
          contextId,
          status: { state: TaskState.TASK_STATE_COMPLETED, message, timestamp: now() },
          artifacts: [artifact],
          history: [userMessage, message],
          metadata: { ...userMessage.metadata, ...usageMetadata },
        }));
      }
      log.debug("task completed", { offline: report.offline });
    } catch (error) {
      if (controller.signal.aborted) {
        log.info("task cancelled");
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      log.error("task failed", { error: message });
      status(TaskState.TASK_STATE_FAILED, `Research failed: ${message}`);
    } finally {
      this.#running.delete(taskId);
    }
  };

  cancelTask = async (taskId: string, bus: ExecutionEventBus): Promise<void> => {
    const running = this.#running.get(taskId);
    // Abort first, so the running execute publishes nothing after the cancelled state.
    running?.controller.abort(new DOMException("task cancelled", "AbortError"));
    this.deps.logger.info("task cancel requested", { task_id: taskId, running: !!running });
    // Published at once: the aborted run ends soon and closes the task's event bus.
    bus.publish(AgentEvent.statusUpdate({
      taskId,
      contextId: running?.contextId ?? "",
      status: { state: TaskState.TASK_STATE_CANCELED, message: undefined, timestamp: now() },
      metadata: undefined,
    }));
    // A task cancelled while it waits for an answer will never be resumed.
    await this.deps.research.forget(taskId).catch((error) =>
      this.deps.logger.warn("checkpoints not cleared", { task_id: taskId, error: String(error) })
    );
  };
}

/** The model's tokens as chunks of the "draft" artifact, a few per second rather than each. */
class DraftStream {
  #buffer = "";
  #sent = false;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly taskId: string,
    private readonly contextId: string,
    private readonly publish: (event: AgentExecutionEvent) => void,
  ) {}

  push(token: string): void {
    this.#buffer += token;
    this.#timer ??= setTimeout(() => this.flush(), TOKEN_FLUSH_MS);
  }

  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (!this.#buffer) return;
    const text = this.#buffer;
    this.#buffer = "";
    this.publish(AgentEvent.artifactUpdate({
      taskId: this.taskId,
      contextId: this.contextId,
      artifact: {
        artifactId: DRAFT_ARTIFACT,
        name: DRAFT_ARTIFACT,
        description: "The model's answers as they stream; the report follows.",
        parts: [textPart(text)],
        metadata: undefined,
        extensions: [],
      },
      append: this.#sent,
      lastChunk: false,
      metadata: undefined,
    }));
    this.#sent = true;
  }
}

function now(): string {
  return new Date().toISOString();
}
