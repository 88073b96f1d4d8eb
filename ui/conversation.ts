/** A session's conversation as the page shows it: each request followed by its task card. */
import type { IslandTask, Message } from "./types.ts";

export type ConversationItem =
  | { kind: "message"; message: Pick<Message, "id" | "role" | "content" | "created_at"> }
  | { kind: "task"; task: IslandTask };

/**
 * Messages in order; a user message that started a task is followed by that task's card, and
 * the assistant message that repeats a shown task's summary is left out (the card has it).
 */
export function conversationItems(messages: Message[], tasks: IslandTask[]): ConversationItem[] {
  const byId = new Map(tasks.map((task) => [task.id, task]));
  const shown = new Set<number>();
  const items: ConversationItem[] = [];
  for (const message of messages) {
    const task = message.task_id === null ? undefined : byId.get(message.task_id);
    if (task && message.role === "assistant" && shown.has(task.id)) continue;
    items.push({ kind: "message", message });
    if (task && message.role === "user" && !shown.has(task.id)) {
      items.push({ kind: "task", task });
      shown.add(task.id);
    }
  }
  // Tasks whose request fell outside the messages read still get their card.
  for (const task of [...tasks].sort((a, b) => a.id - b.id)) {
    if (!shown.has(task.id)) items.push({ kind: "task", task });
  }
  return items;
}
