/**
 * One item of a conversation: a message bubble, or a task's card (live in an island). The
 * card's `actions` and `children` are where other features add their parts (a plan to
 * approve, a question to answer, the task's cost), without touching this file.
 */
import type { ComponentChildren } from "preact";
import type { ConversationItem } from "../conversation.ts";

export function MessageBubble(
  { message, children }: {
    message: Extract<ConversationItem, { kind: "message" }>["message"];
    children?: ComponentChildren;
  },
) {
  return (
    <div class={`bubble bubble-${message.role}`} data-message-id={message.id}>
      <span class="bubble-role">{message.role === "user" ? "You" : message.role}</span>
      <p>{message.content}</p>
      {children}
    </div>
  );
}
