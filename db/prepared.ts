/**
 * Statements worth preparing once per Postgres connection: the hot statements of statement.ts. A named
 * statement is parsed and planned the first time a connection runs it, then only bound and
 * executed, which saves the server most of the work of a small statement.
 */
const names = new Map<string, string>();

/** Marks `text` (in Postgres's `$1` form) as prepared-statement material. */
export function registerPrepared(text: string): void {
  if (!names.has(text)) names.set(text, `hot_${names.size + 1}`);
}

/** The prepared statement name for `text`, if it was registered. */
export function preparedName(text: string): string | undefined {
  return names.get(text);
}
