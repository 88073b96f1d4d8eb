/** Opaque keyset-pagination cursors for the list routes. */

export function encodeCursor(parts: (string | number)[]): string {
  return btoa(JSON.stringify(parts)).replaceAll("=", "");
}

/** Throws `InvalidCursorError` for anything that is not a cursor this module made. */
export function decodeCursor(cursor: string): [string, string | number] {
  try {
    const parts = JSON.parse(atob(cursor));
    if (Array.isArray(parts) && parts.length === 2) return parts as [string, string | number];
  } catch {
    // fall through
  }
  throw new InvalidCursorError(cursor);
}

export class InvalidCursorError extends Error {
  constructor(cursor: string) {
    super(`cursor "${cursor.slice(0, 40)}" is not a cursor this API returned`);
  }
}

/** True for a cursor this module made (for request validation). */
export function isCursor(cursor: string): boolean {
  try {
    decodeCursor(cursor);
    return true;
  } catch {
    return false;
  }
}
