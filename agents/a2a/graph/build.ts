/**
 * The research graph: clarify -> plan -> gather -> analyse -> synthesise.
 *
 * With a model, each step is a node of its own (one model request each, cancellable between
 * them). Offline, the four steps are plain computations on the input that take microseconds,
 * while every LangGraph super-step costs about a millisecond of bookkeeping (config merging,
 * run trees, checkpoints): the offline graph runs the same four steps, in order, inside a
 * single `research` node. Either way a caller hears each step start and finish through
 * `onNode`, handed to the nodes in the run's config (no stream mode needed for it).
 *
 * Clarify (clarify.ts) asks, with `interrupt()`, when the request gives nothing to work on; it
 * can only in a run on a thread, through `runThread`, on a graph built with a checkpointer.
 */
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import {
  type BaseCheckpointSaver,
  Command,
  END,
  isInterrupted,
  type LangGraphRunnableConfig,
  START,
  StateGraph,
} from "@langchain/langgraph";
import { inChildSpan } from "@app/lib/tracing";
import type { Report, ResearchInput } from "../report.ts";
import { ResearchState, type ResearchStateType, type ResearchUpdate } from "./state.ts";
import type { NodeDeps } from "./model.ts";
import { createPlanNode } from "./plan.ts";
import { createGatherNode } from "./gather.ts";
import { createAnalyseNode } from "./analyse.ts";
import { createSynthesiseNode } from "./synthesise.ts";
import { ASKING_CONFIG_KEY, clarifiedInput } from "./clarify.ts";

export const NODES = ["plan", "gather", "analyse", "synthesise"] as const;
export type NodeName = typeof NODES[number];

export interface GraphOptions extends NodeDeps {
  /** Test-only: each step waits this long first, so a running task can be cancelled. */
  nodeDelayMs?: number;
  /** Where a run that stops to ask is kept (runs with a thread only; see `runThread`). */
  checkpointer?: BaseCheckpointSaver;
}

export type NodeEvent = { node: NodeName; phase: "started" | "finished" };

type Node = (s: ResearchStateType, c: LangGraphRunnableConfig) => Promise<ResearchUpdate>;

/** The run's listener, passed in `configurable` by `runResearch`. */
function listenerOf(config: LangGraphRunnableConfig): ((event: NodeEvent) => void) | undefined {
  return (config.configurable as { onNode?: (event: NodeEvent) => void } | undefined)?.onNode;
}

/** A step that tells the run's listener when it starts (before its test delay) and finishes. */
function step(name: NodeName, node: Node, delayMs: number | undefined): Node {
  return (state, config) =>
    // A span per node in the caller's trace (its LLM calls are the node's children).
    inChildSpan(`node ${name}`, { "graph.node": name }, async () => {
      config.signal?.throwIfAborted();
      const onNode = listenerOf(config);
      onNode?.({ node: name, phase: "started" });
      if (delayMs) await abortableSleep(delayMs, config.signal);
      const update = await node(state, config);
      onNode?.({ node: name, phase: "finished" });
      return update;
    });
}

function steps(options: GraphOptions): [NodeName, Node][] {
  return [
    ["plan", step("plan", createPlanNode(options), options.nodeDelayMs)],
    ["gather", step("gather", createGatherNode(options), options.nodeDelayMs)],
    ["analyse", step("analyse", createAnalyseNode(options), options.nodeDelayMs)],
    ["synthesise", step("synthesise", createSynthesiseNode(options), options.nodeDelayMs)],
  ];
}

/** The state after an update, by the channels' own rules (lists append, the rest replace). */
function applyUpdate(state: ResearchStateType, update: ResearchUpdate): ResearchStateType {
  // The steps return plain values (never LangGraph's Overwrite).
  const u = update as Partial<ResearchStateType>;
  return {
    ...state,
    ...u,
    questions: u.questions ? state.questions.concat(u.questions) : state.questions,
    sources: u.sources ? state.sources.concat(u.sources) : state.sources,
  };
}

/** Clarify as a node: the input, with the user's answer as its subject if it had to ask. */
const clarify: Node = (state, config) => {
  const input = clarifiedInput(state.input, config);
  return Promise.resolve(input === state.input ? {} : { input });
};

/** One node per step: for a model, whose requests dominate the run. */
function buildStepGraph(options: GraphOptions) {
  const [[, plan], [, gather], [, analyse], [, synthesise]] = steps(options);
  return new StateGraph(ResearchState)
    .addNode("clarify", clarify)
    .addNode("plan", plan)
    .addNode("gather", gather)
    .addNode("analyse", analyse)
    .addNode("synthesise", synthesise)
    .addEdge(START, "clarify")
    .addEdge("clarify", "plan")
    .addEdge("plan", "gather")
    .addEdge("gather", "analyse")
    .addEdge("analyse", "synthesise")
    .addEdge("synthesise", END)
    .compile({ checkpointer: options.checkpointer });
}

/** The four steps in one node: offline, where LangGraph's per-step cost would dominate. */
function buildOfflineGraph(options: GraphOptions) {
  const all = steps(options);
  const research: Node = async (initial, config) => {
    // Clarify first, inside the node: a super-step of its own would cost every run.
    const input = clarifiedInput(initial.input, config);
    let state = input === initial.input ? initial : { ...initial, input };
    for (const [, run] of all) state = applyUpdate(state, await run(state, config));
    const { questions, sources, analysis, report } = state;
    return { ...(input !== initial.input && { input }), questions, sources, analysis, report };
  };
  return new StateGraph(ResearchState)
    .addNode("research", research)
    .addEdge(START, "research")
    .addEdge("research", END)
    .compile({ checkpointer: options.checkpointer });
}

export interface ResearchGraph {
  invoke(
    input: ResearchUpdate | Command<unknown, ResearchUpdate, never>,
    config?: {
      signal?: AbortSignal;
      configurable?: Record<string, unknown>;
      callbacks?: BaseCallbackHandler[];
      durability?: "sync" | "async" | "exit";
    },
  ): Promise<ResearchStateType>;
  /** A thread's saved state (with a checkpointer): `next` names the nodes still to run. */
  getState(config: { configurable: Record<string, unknown> }): Promise<{ next: string[] }>;
}

/** Compiled once per service; offline when there is no model. */
export function buildResearchGraph(options: GraphOptions): ResearchGraph {
  return options.llm ? buildStepGraph(options) : buildOfflineGraph(options);
}

/**
 * Hands each token of the model's answers to `onToken` as it comes. Preferring streaming makes
 * the chat model stream its answer (and call this) instead of waiting for it whole.
 */
class TokenRelay extends BaseCallbackHandler {
  name = "token_relay";
  lc_prefer_streaming = true;
  constructor(private readonly onToken: (token: string) => void) {
    super();
  }
  override handleLLMNewToken(token: string): void {
    if (token) this.onToken(token);
  }
}

/**
 * Runs the graph to its report, telling `onNode` as each step starts and finishes, and
 * `onToken` each token of the model's answers (with a model).
 */
export async function runResearch(
  graph: ResearchGraph,
  input: ResearchInput,
  options: {
    signal?: AbortSignal;
    onNode?: (event: NodeEvent) => void;
    onToken?: (token: string) => void;
  } = {},
): Promise<Report> {
  const state = await graph.invoke({ input }, {
    signal: options.signal,
    configurable: options.onNode ? { onNode: options.onNode } : undefined,
    callbacks: options.onToken ? [new TokenRelay(options.onToken)] : undefined,
  });
  options.signal?.throwIfAborted();
  if (!state.report) throw new Error("the research graph ended without a report");
  return state.report;
}

/** How a run that may ask ends: with the report, or with the question it stopped at. */
export type ResearchOutcome =
  | { kind: "report"; report: Report; input: ResearchInput }
  | { kind: "question"; question: string };

/**
 * Runs the graph (built with a checkpointer) on a thread, the A2A task's id, where it may stop
 * to ask: from the request (`input`) or, with the user's `answer`, from the checkpoint where
 * it stopped. Every checkpoint is written before this returns, so a question is asked only
 * once it is saved, and any process can resume it.
 */
export async function runThread(
  graph: ResearchGraph,
  start: { input: ResearchInput } | { answer: string },
  options: {
    threadId: string;
    signal?: AbortSignal;
    onNode?: (event: NodeEvent) => void;
    onToken?: (token: string) => void;
  },
): Promise<ResearchOutcome> {
  const state = await graph.invoke(
    "input" in start
      ? { input: start.input }
      : new Command<unknown, ResearchUpdate, never>({ resume: start.answer }),
    {
      signal: options.signal,
      configurable: {
        thread_id: options.threadId,
        [ASKING_CONFIG_KEY]: true,
        ...(options.onNode && { onNode: options.onNode }),
      },
      callbacks: options.onToken ? [new TokenRelay(options.onToken)] : undefined,
      durability: "sync",
    },
  );
  options.signal?.throwIfAborted();
  if (isInterrupted(state)) {
    return { kind: "question", question: String(state.__interrupt__[0]?.value ?? "") };
  }
  if (!state.report) throw new Error("the research graph ended without a report");
  return { kind: "report", report: state.report, input: state.input };
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
