/** A2A parts and agent messages in the SDK's internal (v1.0) shape, for executors here. */
import { type Message, type Part, Role, type TaskState } from "@a2a-js/sdk";
import { AgentEvent, type AgentExecutionEvent } from "@a2a-js/sdk/server";

export const textPart = (value: string): Part => ({
  content: { $case: "text", value },
  metadata: undefined,
  filename: "",
  mediaType: "text/plain",
});

export const dataPart = (value: Record<string, unknown>): Part => ({
  content: { $case: "data", value },
  metadata: undefined,
  filename: "",
  mediaType: "application/json",
});

/** The text of a message's text parts, one per line. */
export function textOfParts(parts: Part[] | undefined): string {
  return (parts ?? []).filter((p) => p.content?.$case === "text")
    .map((p) => String(p.content!.value)).join("\n");
}

export function agentMessage(
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

/**
 * A status update event: the state, and the text as the agent's message. `messageMetadata`
 * goes on the message; `metadata` on the event, which the SDK merges into the task's.
 */
export function statusEvent(
  taskId: string,
  contextId: string,
  state: TaskState,
  text?: string,
  options: { messageMetadata?: Record<string, unknown>; metadata?: Record<string, unknown> } = {},
): AgentExecutionEvent {
  return AgentEvent.statusUpdate({
    taskId,
    contextId,
    status: {
      state,
      message: text ? agentMessage(taskId, contextId, text, options.messageMetadata) : undefined,
      timestamp: new Date().toISOString(),
    },
    metadata: options.metadata,
  });
}
