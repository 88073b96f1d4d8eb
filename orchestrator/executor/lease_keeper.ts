/** Keeps a running task's lease alive; aborts the run the moment the lease is found lost. */
import type { Logger } from "@app/lib";
import type { Lease, TaskLifecycle } from "../lifecycle/lifecycle.ts";
import { LeaseLost } from "./errors.ts";

/** Renews every third of `leaseMs`; returns the function that stops renewing. */
export function keepLease(
  lifecycle: TaskLifecycle,
  lease: Lease,
  leaseMs: number,
  abort: AbortController,
  logger: Logger,
): () => void {
  const renewal = setInterval(async () => {
    try {
      if (!(await lifecycle.renewLease(lease, leaseMs))) abort.abort(new LeaseLost("lease lost"));
    } catch (error) {
      // A database blip: the lease holds for two more tries before it can expire.
      logger.warn("lease renewal failed", { error: String(error) });
    }
  }, Math.max(50, Math.floor(leaseMs / 3)));
  return () => clearInterval(renewal);
}
