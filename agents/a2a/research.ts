/** The research service both doors (A2A and `POST /process`) share: one compiled graph and the
 * conversation memory, keyed by A2A contextId or REST session_id; and, with a checkpointer, the
 * A2A runs that stop to ask and resume with the answer. */
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { BaseCheckpointSaver } from "@langchain/langgraph";
import {
  buildResearchGraph,
  type NodeEvent,
  type ResearchOutcome,
  runResearch,
  runThread,
} from "./graph/build.ts";
import { missingSubject } from "./graph/clarify.ts";
import type { GraphPool } from "./graph/pool.ts";
import { ConversationMemory } from "./memory.ts";
import type { Report, ResearchInput } from "./report.ts";

export type { ResearchOutcome } from "./graph/build.ts";

export interface RunOptions {
  contextId?: string;
  signal?: AbortSignal;
  onNode?: (event: NodeEvent) => void;
  /** Each token of the model's answers, as it comes (with a model; offline, none). */
  onToken?: (token: string) => void;
}

export interface ResearchService {
  run(input: Omit<ResearchInput, "conversation">, options?: RunOptions): Promise<Report>;
  /**
   * An A2A task's run (its id is the thread): a request with nothing to work on stops with a
   * question, its state saved, when the service has a checkpointer; any other ends with the
   * report.
   */
  start(
    input: Omit<ResearchInput, "conversation">,
    options: RunOptions & { threadId: string },
  ): Promise<ResearchOutcome>;
  /** Goes on from the question a thread stopped at, with the answer; undefined: none waits. */
  resume(
    threadId: string,
    answer: string,
    options?: RunOptions,
  ): Promise<ResearchOutcome | undefined>;
  /** Drops a thread's saved state (its task was cancelled). */
  forget(threadId: string): Promise<void>;
}

/** Threads nobody answered are dropped after this long (their tasks stay input-required). */
const ABANDONED_THREAD_MS = 7 * 24 * 60 * 60 * 1000;
const PURGE_EVERY_MS = 60 * 60 * 1000;

/** A checkpointer that can also drop the threads nobody came back to. */
export type ResearchCheckpointer = BaseCheckpointSaver & {
  purgeThreadsBefore?(date: Date): Promise<number>;
};

export function createResearchService(
  options: {
    llm: BaseChatModel | null;
    nodeDelayMs?: number;
    /** Worker threads for the offline graph; without one (or with a model) runs stay here. */
    pool?: GraphPool;
    /** Where runs that ask are kept; without one the agent never asks. */
    checkpointer?: ResearchCheckpointer;
  },
): ResearchService {
  const { llm, nodeDelayMs, checkpointer } = options;
  const pool = llm ? undefined : options.pool;
  const graph = pool ? undefined : buildResearchGraph({ llm, nodeDelayMs });
  // Runs that may ask are checkpointed, on this thread (where the database is). They are few:
  // every other run goes without, sparing it a checkpoint write per step.
  const asking = checkpointer && buildResearchGraph({ llm, nodeDelayMs, checkpointer });
  const memory = new ConversationMemory();
  let lastPurge = 0;
  // At most once an hour, by whichever run asks: a question nobody answers is not kept forever.
  const purgeNow = () => {
    if (!checkpointer?.purgeThreadsBefore || Date.now() - lastPurge < PURGE_EVERY_MS) return;
    lastPurge = Date.now();
    checkpointer.purgeThreadsBefore(new Date(Date.now() - ABANDONED_THREAD_MS)).catch(() => {});
  };

  const remember = (contextId: string | undefined, instruction: string, report: Report) => {
    if (!contextId) return;
    memory.append(
      contextId,
      { role: "user", content: instruction },
      { role: "agent", content: report.summary },
    );
  };

  const research = (input: ResearchInput, { signal, onNode, onToken }: RunOptions) =>
    pool
      ? pool.run(input, { signal, onNode })
      : runResearch(graph!, input, { signal, onNode, onToken });

  // A thread's task is done (or failed): nothing will resume it. Its rows going is tidiness,
  // not the task's result: a failed delete leaves them to the purge.
  const drop = (threadId: string) => checkpointer?.deleteThread(threadId).catch(() => {});

  /** Runs a thread and clears it once it has ended, with the report or an error. */
  const thread = async (
    start: { input: ResearchInput } | { answer: string },
    runOptions: RunOptions & { threadId: string },
  ): Promise<ResearchOutcome> => {
    let outcome: ResearchOutcome;
    try {
      outcome = await runThread(asking!, start, runOptions);
    } catch (error) {
      await drop(runOptions.threadId);
      throw error;
    }
    if (outcome.kind === "report") {
      remember(runOptions.contextId, outcome.input.instruction, outcome.report);
      await drop(runOptions.threadId);
    }
    return outcome;
  };

  return {
    async run(input, runOptions = {}) {
      const { contextId } = runOptions;
      const full = { ...input, conversation: contextId ? memory.get(contextId) : [] };
      const report = await research(full, runOptions);
      remember(contextId, input.instruction, report);
      return report;
    },

    async start(input, runOptions) {
      const { contextId, threadId } = runOptions;
      const full = { ...input, conversation: contextId ? memory.get(contextId) : [] };
      if (!asking || !missingSubject(full)) {
        const report = await research(full, runOptions);
        remember(contextId, input.instruction, report);
        return { kind: "report", report, input: full };
      }
      purgeNow();
      return await thread({ input: full }, { ...runOptions, threadId });
    },

    async resume(threadId, answer, runOptions = {}) {
      if (!asking) return undefined;
      const saved = await asking.getState({ configurable: { thread_id: threadId } });
      if (!saved.next.length) return undefined;
      return await thread({ answer }, { ...runOptions, threadId });
    },

    async forget(threadId) {
      await checkpointer?.deleteThread(threadId);
    },
  };
}
