/**
 * Adapts Deno's built-in `node:sqlite` to Kysely's SQLite dialect, which asks only for
 * `prepare` and `close`. Statements are cached by SQL text: Kysely re-compiles the same
 * handful of queries over and over, and preparing them once is most of the win.
 */
import { DatabaseSync, type StatementSync } from "node:sqlite";
import {
  CompiledQuery,
  type DatabaseConnection,
  SqliteAdapter,
  type SqliteDatabase,
  SqliteDialect,
  SqliteDriver,
  type SqliteStatement,
} from "kysely";

type SqlValue = null | number | bigint | string | Uint8Array;

const STATEMENT_CACHE_SIZE = 256;

/**
 * NORMAL: in WAL mode a commit is not fsynced; a process crash loses nothing, a power loss or
 * OS crash can lose the last commits. FULL: every commit is fsynced, at a commit's cost.
 */
export type SqliteSynchronous = "NORMAL" | "FULL";

class CachedStatement implements SqliteStatement {
  readonly reader: boolean;
  constructor(private readonly statement: StatementSync) {
    this.reader = statement.columns().length > 0;
  }
  all(parameters: ReadonlyArray<unknown>): unknown[] {
    return this.statement.all(...(parameters as SqlValue[]));
  }
  run(parameters: ReadonlyArray<unknown>) {
    const { changes, lastInsertRowid } = this.statement.run(...(parameters as SqlValue[]));
    return { changes, lastInsertRowid };
  }
  iterate(parameters: ReadonlyArray<unknown>): IterableIterator<unknown> {
    return this.statement.iterate(...(parameters as SqlValue[]));
  }
}

/** A `node:sqlite` database shaped as Kysely's `SqliteDatabase`. */
export class NodeSqliteDatabase implements SqliteDatabase {
  readonly #db: DatabaseSync;
  readonly #cache = new Map<string, CachedStatement>();

  constructor(
    path: string,
    options: { busyTimeoutMs?: number; synchronous?: SqliteSynchronous } = {},
  ) {
    this.#db = new DatabaseSync(path);
    // WAL lets readers run beside the writer; the busy timeout makes a second writer (another
    // process on the same file) wait instead of failing with "database is locked".
    this.#db.exec(`pragma busy_timeout = ${options.busyTimeoutMs ?? 10_000}`);
    if (path !== ":memory:") this.#db.exec("pragma journal_mode = wal");
    this.#db.exec(`pragma synchronous = ${options.synchronous === "FULL" ? "full" : "normal"}`);
    // Checkpoints (copying the WAL into the database file, with an fsync) run inside a
    // writer's commit. Every commit rewrites the same hot pages (the ends of the tables and
    // their indexes), so checkpointing every 10,000 pages instead of every 1,000 copies each
    // of them far less often (measured: a commit 1.08 -> 0.74 ms). The WAL file grows to about
    // 40 MB before it is recycled, and is cut back to 64 MB at most.
    this.#db.exec("pragma wal_autocheckpoint = 10000");
    this.#db.exec("pragma journal_size_limit = 67108864");
    this.#db.exec("pragma foreign_keys = on");
  }

  prepare(sql: string): SqliteStatement {
    let statement = this.#cache.get(sql);
    if (statement) {
      // Re-insert to keep the map in least-recently-used order.
      this.#cache.delete(sql);
    } else {
      statement = new CachedStatement(this.#db.prepare(sql));
      if (this.#cache.size >= STATEMENT_CACHE_SIZE) {
        this.#cache.delete(this.#cache.keys().next().value!);
      }
    }
    this.#cache.set(sql, statement);
    return statement;
  }

  exec(sql: string): void {
    this.#db.exec(sql);
  }

  close(): void {
    this.#cache.clear();
    this.#db.close();
  }
}

/**
 * Transactions start with `BEGIN IMMEDIATE`: a deferred transaction that reads and then writes
 * can fail at once with SQLITE_BUSY when another process holds the write lock, and the busy
 * timeout cannot help it. Taking the write lock up front makes it wait its turn instead.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}

export class NodeSqliteDialect extends SqliteDialect {
  readonly #config: ConstructorParameters<typeof SqliteDialect>[0];
  constructor(database: NodeSqliteDatabase) {
    const config = { database };
    super(config);
    this.#config = config;
  }
  override createDriver() {
    return new ImmediateSqliteDriver(this.#config);
  }
  override createAdapter() {
    return new SqliteAdapter();
  }
}
