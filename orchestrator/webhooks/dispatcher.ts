/**
 * Delivers the webhook outbox: claims due deliveries with a lease (so one process of several
 * sends each), POSTs `{id, event, task_id, created_at, task}` signed when WEBHOOK_SECRET is
 * set, and records the outcome: delivered; retried with exponential backoff and jitter after a
 * network error, a timeout, a 5xx or a 429; or given up (after WEBHOOK_MAX_ATTEMPTS, on an
 * answer no retry will change, or at an address the outbound guard refuses), which the task's
 * events show. Redirects are followed by the guard, each hop checked. It runs beside the executor with
 * its own timeouts and slots, so a slow receiver holds up nothing but its own delivery.
 */
import type { Kysely } from "kysely";
import {
  type Agent,
  claimWebhookDeliveries,
  type Database,
  failWebhookDelivery,
  isoNow,
  markWebhookDelivered,
  rescheduleWebhookDelivery,
  type WebhookDelivery,
} from "@app/db";
import type { Logger } from "@app/lib";
import { deadline } from "../deadline.ts";
import type { TaskLifecycle } from "../lifecycle/lifecycle.ts";
import { OutboundRefused } from "../outbound/guarded_fetch.ts";
import { loadTaskView } from "../task_service.ts";
import { signWebhook } from "./signature.ts";

export interface WebhookDispatcherOptions {
  db: Kysely<Database>;
  lifecycle: TaskLifecycle;
  agents: () => Promise<Agent[]>;
  logger: Logger;
  secret?: string;
  maxAttempts: number;
  retryBaseMs: number;
  /** One POST's time limit. */
  timeoutMs?: number;
  /** Deliveries in flight at once in this process. */
  concurrency?: number;
  /** How often to look for deliveries due (retries, other processes' rows). */
  pollMs?: number;
  /** The outbound guard's fetch: a receiver at an address it refuses is given up on. */
  fetch?: typeof fetch;
}

/** Whether another attempt may succeed: the receiver was unreachable, slow, overloaded or down. */
const retryableStatus = (status: number) => status >= 500 || status === 429 || status === 408;
const MAX_RETRY_AFTER_MS = 3_600_000;

type Outcome =
  | { kind: "delivered" }
  | { kind: "retry"; error: string; retryAfterMs?: number }
  | { kind: "give_up"; error: string };

export class WebhookDispatcher {
  readonly owner = `webhooks-${crypto.randomUUID().slice(0, 8)}`;
  readonly #o: Required<Omit<WebhookDispatcherOptions, "secret">> & { secret?: string };
  readonly #inFlight = new Set<Promise<void>>();
  readonly #stopping = new AbortController();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #passing = false;
  #again = false;
  #started = false;

  constructor(options: WebhookDispatcherOptions) {
    this.#o = {
      timeoutMs: 10_000,
      concurrency: 16,
      pollMs: Math.min(1_000, Math.max(20, options.retryBaseMs)),
      fetch: fetch,
      ...options,
    };
  }

  start(): void {
    this.#started = true;
    this.wake();
  }

  /** Looks for due deliveries now (new ones were just written, say). */
  wake(): void {
    if (!this.#started || this.#stopping.signal.aborted) return;
    if (this.#passing) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#pass();
  }

  /** Stops claiming; deliveries in flight are aborted and left due again at once. */
  async stop(): Promise<void> {
    this.#stopping.abort(new DOMException("the orchestrator is stopping", "AbortError"));
    clearTimeout(this.#timer);
    await Promise.allSettled([...this.#inFlight]);
  }

  async #pass(): Promise<void> {
    this.#passing = true;
    try {
      do {
        this.#again = false;
        const free = this.#o.concurrency - this.#inFlight.size;
        if (free <= 0) break;
        const claimed = await claimWebhookDeliveries(
          this.#o.db,
          this.owner,
          this.#o.timeoutMs * 2 + 5_000,
          free,
        );
        for (const delivery of claimed) this.#track(this.#deliver(delivery));
        if (claimed.length === free) this.#again = true;
      } while (this.#again && !this.#stopping.signal.aborted);
    } catch (error) {
      this.#o.logger.warn("claiming webhook deliveries failed", { error: String(error) });
    } finally {
      this.#passing = false;
      if (!this.#stopping.signal.aborted) {
        this.#timer = setTimeout(() => this.wake(), this.#o.pollMs);
      }
    }
  }

  #track(work: Promise<void>): void {
    this.#inFlight.add(work);
    work.finally(() => {
      this.#inFlight.delete(work);
      // A slot is free: more may be waiting.
      this.wake();
    });
  }

  async #deliver(delivery: WebhookDelivery): Promise<void> {
    const log = this.#o.logger.child({
      task_id: delivery.task_id,
      delivery_id: delivery.delivery_id,
      event: delivery.event,
    });
    try {
      const task = await loadTaskView(this.#o.db, this.#o.agents, delivery.task_id);
      if (!task) {
        // The task was deleted (with its session) meanwhile: nothing left to tell.
        await failWebhookDelivery(this.#o.db, delivery.id, this.owner, "the task is gone");
        return;
      }
      const body = JSON.stringify({
        id: delivery.delivery_id,
        event: delivery.event,
        task_id: delivery.task_id,
        created_at: delivery.event_created_at,
        task,
      });
      const outcome = await this.#post(delivery, body);
      if (outcome.kind === "delivered") {
        await markWebhookDelivered(this.#o.db, delivery.id, this.owner);
        log.debug("webhook delivered", { attempts: delivery.attempts });
      } else if (this.#stopping.signal.aborted) {
        // Not the receiver's fault: due again at once, for whichever process is up.
        await rescheduleWebhookDelivery(
          this.#o.db,
          delivery.id,
          this.owner,
          isoNow(),
          "interrupted: the orchestrator stopped",
        );
      } else if (outcome.kind === "retry" && delivery.attempts < this.#o.maxAttempts) {
        const backoff = this.#o.retryBaseMs * 2 ** (delivery.attempts - 1) *
          (0.5 + Math.random());
        const delay = Math.max(backoff, Math.min(outcome.retryAfterMs ?? 0, MAX_RETRY_AFTER_MS));
        await rescheduleWebhookDelivery(
          this.#o.db,
          delivery.id,
          this.owner,
          isoNow(new Date(Date.now() + delay)),
          outcome.error,
        );
        log.info("webhook delivery will be retried", {
          attempts: delivery.attempts,
          delay_ms: Math.round(delay),
          error: outcome.error,
        });
      } else {
        await this.#o.lifecycle.webhookGaveUp(
          delivery,
          this.owner,
          delivery.attempts,
          outcome.error,
        );
        log.warn("webhook delivery gave up", {
          attempts: delivery.attempts,
          error: outcome.error,
        });
      }
    } catch (error) {
      // The database, most likely: the lease runs out and the delivery is claimed again.
      log.warn("webhook delivery not recorded", { error: String(error) });
    }
  }

  async #post(delivery: WebhookDelivery, body: string): Promise<Outcome> {
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "user-agent": "multi-agent-orchestrator-webhooks/1",
      "x-webhook-id": delivery.delivery_id,
      "x-webhook-event": delivery.event,
    };
    if (this.#o.secret) headers["x-webhook-signature"] = await signWebhook(this.#o.secret, body);
    const limit = deadline(this.#stopping.signal, this.#o.timeoutMs);
    try {
      const response = await this.#o.fetch(delivery.url, {
        method: "POST",
        headers,
        body,
        signal: limit.signal,
      });
      await response.body?.cancel();
      if (response.ok) return { kind: "delivered" };
      const error = `the receiver answered HTTP ${response.status}`;
      if (!retryableStatus(response.status)) return { kind: "give_up", error };
      const retryAfter = Number(response.headers.get("retry-after"));
      return {
        kind: "retry",
        error,
        ...(Number.isFinite(retryAfter) && retryAfter > 0 && { retryAfterMs: retryAfter * 1000 }),
      };
    } catch (error) {
      if (error instanceof OutboundRefused) return { kind: "give_up", error: error.message };
      if (limit.timedOut) {
        return { kind: "retry", error: `no answer within ${this.#o.timeoutMs} ms` };
      }
      const message = error instanceof Error
        ? `${error.message}${error.cause ? `: ${error.cause}` : ""}`
        : String(error);
      return { kind: "retry", error: `not delivered: ${message}` };
    } finally {
      limit.clear();
    }
  }
}
