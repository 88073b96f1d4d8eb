/** Per-conversation memory: the earlier turns of an A2A context (or REST session), so a
 * follow-up message is researched with what came before. Bounded, least recently used out. */
import type { Turn } from "./report.ts";

export class ConversationMemory {
  #contexts = new Map<string, Turn[]>();

  constructor(readonly maxContexts = 1_000, readonly maxTurns = 20) {}

  get(contextId: string): Turn[] {
    const turns = this.#contexts.get(contextId);
    if (!turns) return [];
    // Re-insert so the Map's order is least recently used first.
    this.#contexts.delete(contextId);
    this.#contexts.set(contextId, turns);
    return [...turns];
  }

  append(contextId: string, ...turns: Turn[]): void {
    const kept = [...(this.#contexts.get(contextId) ?? []), ...turns].slice(-this.maxTurns);
    this.#contexts.delete(contextId);
    this.#contexts.set(contextId, kept);
    while (this.#contexts.size > this.maxContexts) {
      this.#contexts.delete(this.#contexts.keys().next().value!);
    }
  }
}
