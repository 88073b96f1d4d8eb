/**
 * A worker thread that runs the offline research graph (see pool.ts). It compiles the graph
 * once, then runs each `run` message to a report, posting every step's start and finish as it
 * goes; `abort` stops a run.
 */
/// <reference lib="deno.worker" />
import process from "node:process";
import { buildResearchGraph, runResearch } from "./build.ts";
import type { FromWorker, ToWorker } from "./pool.ts";

// LangChain and LangSmith look environment variables up (tracing switches, project names) on
// every runnable call, and each lookup in `process.env` is a call into Deno's runtime: about a
// twentieth of an offline run. This thread never changes its environment, so it reads it once.
Object.defineProperty(process, "env", { value: { ...process.env }, configurable: true });

let graph: ReturnType<typeof buildResearchGraph> | undefined;
const running = new Map<number, AbortController>();
const post = (message: FromWorker) => self.postMessage(message);

self.onmessage = async ({ data }: MessageEvent<ToWorker>) => {
  if (data.type === "init") {
    graph = buildResearchGraph({ llm: null, nodeDelayMs: data.nodeDelayMs });
    post({ type: "ready" });
    return;
  }
  if (data.type === "abort") {
    running.get(data.id)?.abort(new DOMException("task cancelled", "AbortError"));
    return;
  }
  const { id, input, steps } = data;
  const controller = new AbortController();
  running.set(id, controller);
  try {
    const report = await runResearch(graph!, input, {
      signal: controller.signal,
      onNode: steps ? (event) => post({ type: "node", id, event }) : undefined,
    });
    post({ type: "done", id, report });
  } catch (error) {
    post({ type: "failed", id, error: error instanceof Error ? error.message : String(error) });
  } finally {
    running.delete(id);
  }
};
