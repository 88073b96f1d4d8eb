/**
 * Where a reader of a task's event log reads from next. On Postgres an event's id is drawn when
 * it is inserted, and two write transactions (two batches in flight, or two processes) commit
 * in either order: event 100 may become visible after 101 was read. So the reader reads again
 * from the last id behind which nothing can still appear (`floor`): the highest id read at least
 * `settleMs` ago, long after any transaction open then has committed. It skips what it yielded.
 * On SQLite (one writer, ids drawn in commit order) `settleMs` is 0 and `floor` is the last id.
 */
export class EventCursor {
  /** The highest id yielded (or the client's Last-Event-ID). */
  last: number;
  #floor: number;
  /** Ids above the floor already yielded. */
  readonly #yielded = new Set<number>();
  /** Reads not yet settled: when each was made and the highest id it saw. */
  #reads: { at: number; maxId: number }[] = [];

  constructor(afterId: number, readonly settleMs: number, readonly now = () => Date.now()) {
    this.last = afterId;
    this.#floor = afterId;
  }

  /** Where the next read starts: the floor, or the last id when paging through a backlog. */
  readFrom(paging: boolean): number {
    if (paging || this.settleMs <= 0) return this.last;
    const settledBefore = this.now() - this.settleMs;
    while (this.#reads.length && this.#reads[0].at <= settledBefore) {
      this.#floor = Math.max(this.#floor, this.#reads.shift()!.maxId);
    }
    for (const id of this.#yielded) if (id <= this.#floor) this.#yielded.delete(id);
    return this.#floor;
  }

  /** The events of a read not yielded yet, in id order; the read is remembered. */
  unseen<E extends { id: number }>(events: E[]): E[] {
    if (this.settleMs > 0) {
      const maxId = events.length ? events[events.length - 1].id : this.last;
      this.#reads.push({ at: this.now(), maxId: Math.max(maxId, this.last) });
    }
    return events.filter((e) => e.id > this.#floor && !this.#yielded.has(e.id));
  }

  /** `id` was yielded. */
  yielded(id: number): void {
    this.last = Math.max(this.last, id);
    if (this.settleMs > 0) this.#yielded.add(id);
  }
}
