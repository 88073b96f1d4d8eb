/**
 * The retention sweeper: with TASK_RETENTION_DAYS set, now and then compacts the event logs of
 * tasks finished longer ago than that (see db/repositories/retention.ts). Every process may
 * run one; the work is idempotent, and each keeps its own watermark, so after a restart one
 * sweep walks the old tasks once more. Old tasks passed over unfinished (waiting on a person)
 * are remembered and looked at again by id in each sweep until they have ended and aged.
 */
import type { Kysely } from "kysely";
import { compactFinishedTaskEvents, compactTaskEvents, type Database } from "@app/db";
import type { Logger } from "@app/lib";

const DAY_MS = 86_400_000;

export interface RetentionSweeperOptions {
  db: Kysely<Database>;
  logger: Logger;
  retentionDays: number;
  /** Between sweeps (default an hour); the first runs soon after start. */
  intervalMs?: number;
  /** Tasks read per statement: small pages keep each write transaction short. */
  pageSize?: number;
}

export class RetentionSweeper {
  readonly #options: RetentionSweeperOptions;
  #watermark = 0;
  /** Tasks passed over unfinished, to look at again. */
  readonly #passed = new Set<number>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running: Promise<unknown> | undefined;
  #stopped = false;

  constructor(options: RetentionSweeperOptions) {
    this.#options = options;
  }

  start(firstAfterMs = 1_000): void {
    this.#schedule(firstAfterMs);
  }

  #schedule(ms: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(async () => {
      this.#running = this.sweep().catch((error) =>
        this.#options.logger.warn("retention sweep failed", { error: String(error) })
      );
      await this.#running;
      this.#schedule(this.#options.intervalMs ?? 3_600_000);
    }, ms);
  }

  /** One sweep: every task finished before now less the retention, from the watermark on. */
  async sweep(now = Date.now()): Promise<{ tasks: number; events: number }> {
    const cutoff = new Date(now - this.#options.retentionDays * DAY_MS).toISOString();
    const total = { tasks: 0, events: 0 };
    if (this.#passed.size) {
      const again = await compactTaskEvents(this.#options.db, [...this.#passed], cutoff);
      for (const id of again.compacted) this.#passed.delete(id);
      total.tasks += again.compacted.length;
      total.events += again.events;
    }
    while (!this.#stopped) {
      const page = await compactFinishedTaskEvents(this.#options.db, {
        afterId: this.#watermark,
        cutoff,
        limit: this.#options.pageSize ?? 500,
      });
      this.#watermark = page.watermark;
      for (const id of page.passed) this.#passed.add(id);
      total.tasks += page.tasks;
      total.events += page.events;
      if (!page.more) break;
    }
    if (total.tasks) {
      this.#options.logger.info("retention: compacted finished tasks' events", {
        ...total,
        cutoff,
      });
    }
    return total;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }
}
