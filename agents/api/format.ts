/** Number formatting for the human-readable parts of a response, and float-noise cleanup. */

/** Short and readable: integers as they are, others to at most 4 decimals (2 past 100). */
export function formatNumber(n: number): string {
  if (Number.isInteger(n)) return String(n);
  const digits = Math.abs(n) >= 100 ? 2 : 4;
  return String(Number(n.toFixed(digits)));
}

/**
 * Rounds every number in a JSON value to 12 significant digits, so 0.1 + 0.2 answers 0.3
 * rather than 0.30000000000000004; far beyond any precision the inputs carry.
 */
export function cleanNumbers<T>(value: T): T {
  if (typeof value === "number") {
    return (Number.isFinite(value) ? Number(value.toPrecision(12)) : value) as T;
  }
  if (Array.isArray(value)) return value.map(cleanNumbers) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, cleanNumbers(inner)]),
    ) as T;
  }
  return value;
}

/** "a", "a and b", "a, b and c". */
export function listing(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

export const plural = (n: number, word: string, many = `${word}s`) =>
  `${n} ${n === 1 ? word : many}`;
