/** The research graph, top to bottom: plan -> gather -> analyse -> synthesise. */
import { END, type LangGraphRunnableConfig, START, StateGraph } from "@langchain/langgraph";
import type { Report, ResearchInput } from "../report.ts";
import { ResearchState, type ResearchStateType, type ResearchUpdate } from "./state.ts";
import type { NodeDeps } from "./model.ts";
import { createPlanNode } from "./plan.ts";
import { createGatherNode } from "./gather.ts";
import { createAnalyseNode } from "./analyse.ts";
import { createSynthesiseNode } from "./synthesise.ts";

export const NODES = ["plan", "gather", "analyse", "synthesise"] as const;
export type NodeName = typeof NODES[number];

export interface GraphOptions extends NodeDeps {
  /** Test-only: each node waits this long first, so a running task can be cancelled. */
  nodeDelayMs?: number;
}

type Node = (s: ResearchStateType, c: LangGraphRunnableConfig) => Promise<ResearchUpdate>;

function delayed(node: Node, ms: number | undefined): Node {
  if (!ms) return node;
  return async (state, config) => {
    await abortableSleep(ms, config.signal);
    return node(state, config);
  };
}

export function buildResearchGraph(options: GraphOptions) {
  const d = (node: Node) => delayed(node, options.nodeDelayMs);
  return new StateGraph(ResearchState)
    .addNode("plan", d(createPlanNode(options)))
    .addNode("gather", d(createGatherNode(options)))
    .addNode("analyse", d(createAnalyseNode(options)))
    .addNode("synthesise", d(createSynthesiseNode(options)))
    .addEdge(START, "plan")
    .addEdge("plan", "gather")
    .addEdge("gather", "analyse")
    .addEdge("analyse", "synthesise")
    .addEdge("synthesise", END)
    .compile();
}

export type ResearchGraph = ReturnType<typeof buildResearchGraph>;

export type NodeEvent = { node: NodeName; phase: "started" | "finished" };

/** Runs the graph to its report, telling `onNode` as each node starts and finishes. */
export async function runResearch(
  graph: ResearchGraph,
  input: ResearchInput,
  options: { signal?: AbortSignal; onNode?: (event: NodeEvent) => void } = {},
): Promise<Report> {
  let report: Report | undefined;
  const stream = await graph.stream({ input }, {
    streamMode: ["tasks", "values"],
    signal: options.signal,
  });
  for await (const [mode, chunk] of stream) {
    if (mode === "tasks") {
      const node = chunk.name as NodeName;
      if (!NODES.includes(node)) continue;
      options.onNode?.({ node, phase: "result" in chunk ? "finished" : "started" });
    } else if (mode === "values") {
      report = (chunk as ResearchStateType).report ?? report;
    }
  }
  options.signal?.throwIfAborted();
  if (!report) throw new Error("the research graph ended without a report");
  return report;
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
