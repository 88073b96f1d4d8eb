/** JSON and time conversions shared by every repository, so both databases agree. */

export function toJson(value: unknown): string {
  return JSON.stringify(value ?? null);
}

let lastMs = 0;
let lastIso = "";

/**
 * Now, or the given time, as an ISO-8601 UTC string with milliseconds. Formatting costs a few
 * microseconds and every write asks, many times a millisecond: now's string is kept for its
 * millisecond.
 */
export function isoNow(date?: Date): string {
  if (date) return date.toISOString();
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}

/** Normalises any accepted timestamp (ISO string with any zone, or Date) to ISO-8601 UTC. */
export function toIso(value: string | Date): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

/** A rows-affected count from either driver. */
export function affected(result: { numUpdatedRows?: bigint; numDeletedRows?: bigint }): number {
  return Number(result.numUpdatedRows ?? result.numDeletedRows ?? 0n);
}
