/**
 * Worker threads for the offline graph. A LangGraph run costs about a millisecond and a half of
 * CPU, most of it LangGraph's own bookkeeping, against well under one for the HTTP and A2A work
 * around it: on one thread the graph caps the agent. Each worker compiles the graph once and
 * runs the messages sent to it; a run goes to the live worker with the fewest runs in flight.
 * Step events come back in order, before the run's result. A worker that cannot start (say, a
 * binary built without its module) is dropped and its runs go to the graph on this thread; one
 * that dies later fails its runs and is replaced. With a model, runs wait on the
 * network instead and stay on the main thread (see research.ts).
 */
import type { Report, ResearchInput } from "../report.ts";
import { buildResearchGraph, type NodeEvent, runResearch } from "./build.ts";

export type ToWorker =
  | { type: "init"; nodeDelayMs?: number }
  | { type: "run"; id: number; input: ResearchInput; steps: boolean }
  | { type: "abort"; id: number };

export type FromWorker =
  | { type: "ready" }
  | { type: "node"; id: number; event: NodeEvent }
  | { type: "done"; id: number; report: Report }
  | { type: "failed"; id: number; error: string };

export type RunOptions = { signal?: AbortSignal; onNode?: (event: NodeEvent) => void };

interface Slot {
  worker: Worker;
  ready: boolean;
  inFlight: number;
}

interface Pending {
  input: ResearchInput;
  options: RunOptions;
  resolve(report: Report): void;
  reject(error: unknown): void;
  slot: Slot;
}

export class GraphPool {
  readonly #slots: Slot[] = [];
  readonly #pending = new Map<number, Pending>();
  readonly #nodeDelayMs?: number;
  #local?: ReturnType<typeof buildResearchGraph>;
  #nextId = 1;
  #closed = false;
  #starting: Set<Slot>;
  #started!: () => void;
  /** Settles once every first worker has started or been dropped. */
  readonly ready: Promise<void>;

  readonly #module: URL;

  constructor(
    size: number,
    options: {
      nodeDelayMs?: number;
      /** Test-only: the worker's module (default ./worker.ts). */
      module?: URL;
    } = {},
  ) {
    this.#nodeDelayMs = options.nodeDelayMs;
    this.#module = options.module ?? new URL("./worker.ts", import.meta.url);
    this.ready = new Promise((resolve) => (this.#started = resolve));
    for (let i = 0; i < Math.max(1, size); i++) this.#slots.push(this.#spawn());
    this.#starting = new Set(this.#slots);
  }

  #startDone(slot: Slot): void {
    if (this.#starting.delete(slot) && !this.#starting.size) this.#started();
  }

  /** Workers alive (or starting). */
  get size(): number {
    return this.#slots.length;
  }

  #spawn(): Slot {
    const worker = new Worker(this.#module, { type: "module" });
    const slot: Slot = { worker, ready: false, inFlight: 0 };
    worker.onmessage = ({ data }: MessageEvent<FromWorker>) => {
      if (data.type === "ready") {
        slot.ready = true;
        this.#startDone(slot);
      } else this.#receive(data);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      this.#lost(slot, new Error(`graph worker failed: ${event.message}`));
    };
    worker.postMessage({ type: "init", nodeDelayMs: this.#nodeDelayMs } satisfies ToWorker);
    return slot;
  }

  /** The graph on this thread, for when no worker could start. */
  #fallback(input: ResearchInput, options: RunOptions): Promise<Report> {
    this.#local ??= buildResearchGraph({ llm: null, nodeDelayMs: this.#nodeDelayMs });
    return runResearch(this.#local, input, options);
  }

  #lost(slot: Slot, error: Error): void {
    slot.worker.terminate();
    this.#startDone(slot);
    const index = this.#slots.indexOf(slot);
    if (index < 0) return;
    if (slot.ready && !this.#closed) this.#slots[index] = this.#spawn();
    else this.#slots.splice(index, 1);
    for (const [id, pending] of [...this.#pending]) {
      if (pending.slot !== slot) continue;
      this.#settle(id);
      // Never started: nothing ran, so the run can start again here.
      if (!slot.ready) {
        this.#fallback(pending.input, pending.options).then(pending.resolve, pending.reject);
      } else pending.reject(error);
    }
  }

  #settle(id: number): Pending | undefined {
    const pending = this.#pending.get(id);
    if (!pending) return undefined;
    this.#pending.delete(id);
    pending.slot.inFlight--;
    return pending;
  }

  #receive(message: Exclude<FromWorker, { type: "ready" }>): void {
    if (message.type === "node") {
      this.#pending.get(message.id)?.options.onNode?.(message.event);
    } else if (message.type === "done") {
      this.#settle(message.id)?.resolve(message.report);
    } else {
      this.#settle(message.id)?.reject(new Error(message.error));
    }
  }

  run(input: ResearchInput, options: RunOptions = {}): Promise<Report> {
    const { signal } = options;
    if (this.#closed) return Promise.reject(new Error("the graph pool is closed"));
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (!this.#slots.length) return this.#fallback(input, options);
    const slot = this.#slots.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
    const id = this.#nextId++;
    return new Promise<Report>((resolve, reject) => {
      const onAbort = () => {
        if (!this.#settle(id)) return;
        slot.worker.postMessage({ type: "abort", id } satisfies ToWorker);
        reject(signal!.reason);
      };
      const done = () => signal?.removeEventListener("abort", onAbort);
      this.#pending.set(id, {
        input,
        options,
        resolve: (report) => (done(), resolve(report)),
        reject: (error) => (done(), reject(error)),
        slot,
      });
      slot.inFlight++;
      signal?.addEventListener("abort", onAbort, { once: true });
      const steps = !!options.onNode;
      slot.worker.postMessage({ type: "run", id, input, steps } satisfies ToWorker);
    });
  }

  close(): void {
    this.#closed = true;
    this.#started();
    for (const slot of this.#slots) slot.worker.terminate();
    for (const id of [...this.#pending.keys()]) {
      this.#settle(id)?.reject(new Error("the graph pool is closed"));
    }
  }
}
