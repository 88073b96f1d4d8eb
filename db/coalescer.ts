/**
 * Calls that arrive while a batch is in flight wait and go together in the next one: many
 * running tasks' reads and writes become one statement per batch, not one per task. Every
 * caller's promise settles with the batch that carried its call, so a write still resolves only
 * once its row is written. A failed batch is retried call by call: one bad call fails alone.
 */
import { setImmediate } from "node:timers";

interface Pending<I, O> {
  item: I;
  resolve(value: O): void;
  reject(error: unknown): void;
}

export class Coalescer<I, O> {
  readonly #run: (items: I[]) => Promise<O[]>;
  readonly #maxBatch: number;
  #queue: Pending<I, O>[] = [];
  #busy = false;
  /** Batches run and calls carried, for tests and benches. */
  readonly stats = { batches: 0, calls: 0 };

  /** `run` answers its items in order, one output per item. */
  constructor(run: (items: I[]) => Promise<O[]>, options: { maxBatch?: number } = {}) {
    this.#run = run;
    this.#maxBatch = options.maxBatch ?? 200;
  }

  call(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      // One batch at a time, so calls keep their order; the first waits a turn of the event
      // loop for the calls made in the same one.
      if (!this.#busy) {
        this.#busy = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  async #flush(): Promise<void> {
    while (this.#queue.length) {
      const batch = this.#queue.splice(0, this.#maxBatch);
      this.stats.batches++;
      this.stats.calls += batch.length;
      await this.#settle(batch);
    }
    this.#busy = false;
  }

  async #settle(batch: Pending<I, O>[]): Promise<void> {
    try {
      const outputs = await this.#run(batch.map((p) => p.item));
      batch.forEach((p, i) => p.resolve(outputs[i]));
      return;
    } catch (error) {
      if (batch.length === 1) {
        batch[0].reject(error);
        return;
      }
    }
    for (const pending of batch) {
      try {
        pending.resolve((await this.#run([pending.item]))[0]);
      } catch (error) {
        pending.reject(error);
      }
    }
  }
}
