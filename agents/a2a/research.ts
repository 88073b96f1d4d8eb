/** The research service both doors (A2A and `POST /process`) share: one compiled graph and the
 * conversation memory, keyed by A2A contextId or REST session_id. */
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { buildResearchGraph, type NodeEvent, runResearch } from "./graph/build.ts";
import type { GraphPool } from "./graph/pool.ts";
import { ConversationMemory } from "./memory.ts";
import type { Report, ResearchInput } from "./report.ts";

export interface ResearchService {
  run(
    input: Omit<ResearchInput, "conversation">,
    options?: {
      contextId?: string;
      signal?: AbortSignal;
      onNode?: (event: NodeEvent) => void;
      /** Each token of the model's answers, as it comes (with a model; offline, none). */
      onToken?: (token: string) => void;
    },
  ): Promise<Report>;
}

export function createResearchService(
  options: {
    llm: BaseChatModel | null;
    nodeDelayMs?: number;
    /** Worker threads for the offline graph; without one (or with a model) runs stay here. */
    pool?: GraphPool;
  },
): ResearchService {
  const pool = options.llm ? undefined : options.pool;
  const graph = pool ? undefined : buildResearchGraph(options);
  const memory = new ConversationMemory();
  return {
    async run(input, { contextId, signal, onNode, onToken } = {}) {
      const conversation = contextId ? memory.get(contextId) : [];
      const report = pool
        ? await pool.run({ ...input, conversation }, { signal, onNode })
        : await runResearch(graph!, { ...input, conversation }, { signal, onNode, onToken });
      if (contextId) {
        memory.append(
          contextId,
          { role: "user", content: input.instruction },
          { role: "agent", content: report.summary },
        );
      }
      return report;
    },
  };
}
