/**
 * The database errors a service may meet, as types: the data layer (@app/db) raises them for
 * SQLite's and Postgres's codes alike, and the HTTP error handler answers each in one place.
 */

export class DatabaseError extends Error {
  /** The driver's code: a Postgres SQLSTATE, or SQLite's extended result code. */
  readonly code: string | undefined;
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = new.target.name;
    const { code, errcode } = (cause ?? {}) as { code?: unknown; errcode?: unknown };
    this.code = typeof errcode === "number"
      ? String(errcode)
      : typeof code === "string"
      ? code
      : undefined;
  }
}

/** A row would repeat a value that must be unique; `columns` names them when the driver says. */
export class UniqueViolation extends DatabaseError {
  constructor(message: string, cause: unknown, readonly columns: string[] = []) {
    super(message, cause);
  }
}

/**
 * A row refers to one that is not there (a foreign key): typically its parent was deleted between
 * the request's check and its write, as a session deleted while a message is added to it.
 */
export class ReferenceMissing extends DatabaseError {}

/** The database cannot be reached or is not taking work right now: try again later. */
export class DatabaseUnavailable extends DatabaseError {}

/** Postgres gave up on a transaction to break a deadlock or a serialization conflict: retry. */
export class TransactionConflict extends DatabaseError {}

/** Text the database refuses to store (Postgres: NUL bytes, invalid UTF-8): the input's fault. */
export class InvalidText extends DatabaseError {}

/** The database error behind `error`: itself, or the nearest in its chain of causes. */
export function databaseErrorIn(error: unknown): DatabaseError | undefined {
  const seen = new Set<unknown>();
  let current = error;
  while (current && !seen.has(current)) {
    if (current instanceof DatabaseError) return current;
    seen.add(current);
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
