/**
 * Database errors, mapped once: whatever SQLite or Postgres raised comes out of the data layer
 * as one typed error (see @app/lib/database_errors; the driver's own error is its `cause`), so
 * callers test a class, never a driver's codes or messages.
 */
import type {
  AbortableOperationOptions,
  DatabaseConnection,
  Dialect,
  Driver,
  QueryCompiler,
  TransactionSettings,
} from "kysely";
import {
  DatabaseError,
  DatabaseUnavailable,
  InvalidText,
  ReferenceMissing,
  TransactionConflict,
  UniqueViolation,
} from "@app/lib/database_errors";

export {
  DatabaseError,
  DatabaseUnavailable,
  InvalidText,
  ReferenceMissing,
  TransactionConflict,
  UniqueViolation,
} from "@app/lib/database_errors";

const POSTGRES_UNAVAILABLE = new Set([
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
  "53300", // too_many_connections: the server is full for now, as when it is down
  "53400", // configuration_limit_exceeded (a role's or database's connection limit)
]);
const NETWORK_UNAVAILABLE = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT"]);
// SQLite extended result codes: the constraint family is 19, UNIQUE 2067 and PRIMARY KEY 1555;
// BUSY is 5 (its variants 261, 517), LOCKED 6 (262): another writer holds the file.
const SQLITE_UNIQUE = new Set([2067, 1555]);
const SQLITE_FOREIGN_KEY = 787;
const SQLITE_BUSY = new Set([5, 6, 261, 517, 262]);

/** The typed error for `error`, or `error` itself when it is nothing this module knows. */
export function mapDatabaseError(error: unknown): unknown {
  if (error instanceof DatabaseError || !error || typeof error !== "object") return error;
  const { code, errcode, message } = error as {
    code?: unknown;
    errcode?: unknown;
    message?: unknown;
  };
  const text = typeof message === "string" ? message : String(error);
  if (code === "23505" || (typeof errcode === "number" && SQLITE_UNIQUE.has(errcode))) {
    return new UniqueViolation(text, error, uniqueColumns(error, text));
  }
  if (code === "23503" || errcode === SQLITE_FOREIGN_KEY) {
    return new ReferenceMissing(text, error);
  }
  if (typeof errcode === "number" && SQLITE_BUSY.has(errcode)) {
    return new DatabaseUnavailable(text, error);
  }
  if (typeof code === "string") {
    if (POSTGRES_UNAVAILABLE.has(code) || NETWORK_UNAVAILABLE.has(code)) {
      return new DatabaseUnavailable(text, error);
    }
    if (code === "40P01" || code === "40001") return new TransactionConflict(text, error);
    if (code === "22021" || code === "22P05") return new InvalidText(text, error);
  }
  // node-postgres reports a lost or unreachable server in words, with no code.
  if (
    /connection (refused|terminated)|timeout exceeded when trying to connect/i
      .test(text)
  ) {
    return new DatabaseUnavailable(text, error);
  }
  return error;
}

/**
 * The columns a unique violation is about: Postgres says "Key (name)=(x) already exists." in
 * its detail, SQLite "UNIQUE constraint failed: agents.name" in its message.
 */
function uniqueColumns(error: object, message: string): string[] {
  const { detail } = error as { detail?: unknown };
  const postgres = typeof detail === "string" ? /^Key \((.+?)\)=/.exec(detail) : null;
  if (postgres) return postgres[1].split(",").map((column) => column.trim().replaceAll('"', ""));
  const sqlite = /constraint failed: (.+)$/.exec(message);
  if (sqlite) return sqlite[1].split(",").map((column) => column.trim().split(".").at(-1)!);
  return [];
}

const MAPPED = Symbol("database errors mapped");

/** Makes a connection's queries (and so its transactions' begin and commit) raise mapped errors. */
function mapConnectionErrors(connection: DatabaseConnection): DatabaseConnection {
  const marked = connection as DatabaseConnection & { [MAPPED]?: true };
  if (marked[MAPPED]) return connection;
  const executeQuery = connection.executeQuery.bind(connection);
  marked.executeQuery = async (query, options) => {
    try {
      return await executeQuery(query, options);
    } catch (error) {
      throw mapDatabaseError(error);
    }
  };
  marked[MAPPED] = true;
  return connection;
}

/** A Kysely driver whose every failure comes out mapped (see `mapDatabaseError`). */
export class ErrorMappingDriver implements Driver {
  constructor(readonly inner: Driver) {}

  async init(options?: AbortableOperationOptions): Promise<void> {
    try {
      await this.inner.init(options);
    } catch (error) {
      throw mapDatabaseError(error);
    }
  }

  async acquireConnection(options?: AbortableOperationOptions): Promise<DatabaseConnection> {
    try {
      return mapConnectionErrors(await this.inner.acquireConnection(options));
    } catch (error) {
      throw mapDatabaseError(error);
    }
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.inner.beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction(connection);
  }

  async savepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler["compileQuery"],
  ): Promise<void> {
    await this.inner.savepoint!(connection, name, compile);
  }

  async rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler["compileQuery"],
  ): Promise<void> {
    await this.inner.rollbackToSavepoint!(connection, name, compile);
  }

  async releaseSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler["compileQuery"],
  ): Promise<void> {
    await this.inner.releaseSavepoint!(connection, name, compile);
  }

  releaseConnection(
    connection: DatabaseConnection,
    options?: AbortableOperationOptions,
  ): Promise<void> {
    return this.inner.releaseConnection(connection, options);
  }

  destroy(options?: AbortableOperationOptions): Promise<void> {
    return this.inner.destroy(options);
  }
}

/** `dialect` with its driver wrapped so that every failure comes out mapped. */
export function mappingErrors(dialect: Dialect): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createDriver: () => new ErrorMappingDriver(dialect.createDriver()),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
  };
}
