/**
 * Relays what an agent streams while a step runs (status messages, artifact text) as
 * `step.progress` events, coalesced: chunks gather for `intervalMs`, then one event carries the
 * latest status and all the text added. A step that ends sooner writes none (its output says
 * it all), so fast steps cost nothing.
 */

/** One streamed chunk: a status message, or text an artifact added. */
export interface AgentProgress {
  status?: string;
  text?: string;
}

export type ProgressWrite = (progress: { status: string | null; text: string }) => Promise<void>;

export class StepProgressRelay {
  #status: string | null = null;
  #text = "";
  #pending = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;

  constructor(private readonly write: ProgressWrite, private readonly intervalMs: number) {}

  push(progress: AgentProgress): void {
    if (this.#stopped) return;
    if (progress.status) this.#status = progress.status;
    if (progress.text) this.#text += progress.text;
    if (!progress.status && !progress.text) return;
    this.#pending = true;
    this.#timer ??= setTimeout(() => this.#flush(), this.intervalMs);
  }

  /** The attempt is over: whatever is pending is dropped, nothing more is written. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  #flush(): void {
    this.#timer = undefined;
    if (this.#stopped || !this.#pending) return;
    const progress = { status: this.#status, text: this.#text };
    this.#text = "";
    this.#pending = false;
    // Best effort: a progress event lost to a database hiccup is not worth failing a step.
    this.write(progress).catch(() => {});
  }
}
