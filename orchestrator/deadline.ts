/**
 * An abort signal for one agent call: aborted with its parent, or after `ms`. `clear()` frees
 * the timer as soon as the call is over; `AbortSignal.timeout` would keep it, and all it
 * references, alive for the whole `ms` (two minutes by default), which at a thousand calls a
 * second is a lot of memory.
 */
export interface Deadline {
  readonly signal: AbortSignal;
  /** Whether the time ran out (rather than the parent aborting). */
  readonly timedOut: boolean;
  clear(): void;
}

export function deadline(parent: AbortSignal, ms: number): Deadline {
  const controller = new AbortController();
  let timedOut = false;
  const onAbort = () => controller.abort(parent.reason);
  if (parent.aborted) onAbort();
  else parent.addEventListener("abort", onAbort, { once: true });
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException(`timed out after ${ms} ms`, "TimeoutError"));
  }, ms);
  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut;
    },
    clear() {
      clearTimeout(timer);
      parent.removeEventListener("abort", onAbort);
    },
  };
}
