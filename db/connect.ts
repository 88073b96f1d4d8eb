/**
 * `connect(url)`: one typed Kysely instance for SQLite (`sqlite:` URLs, through `node:sqlite`)
 * or Postgres (`postgres://`, `postgresql://`, through node-postgres; see pg.ts for why), whose
 * errors come out typed (errors.ts).
 */
import { Kysely, PostgresDialect } from "kysely";
import { createPgPool, type PgSettings } from "./pg.ts";
import type { Database } from "./schema.ts";
import { mappingErrors } from "./errors.ts";
import { NodeSqliteDatabase, NodeSqliteDialect, type SqliteSynchronous } from "./sqlite_adapter.ts";

export interface ConnectOptions {
  /** Postgres connection pool size. */
  poolSize?: number;
  /** Postgres schema to use as search_path (it must exist); tests give each run its own. */
  schema?: string;
  /** SQLite's `synchronous` pragma (SQLITE_SYNCHRONOUS): NORMAL by default, or FULL. */
  sqliteSynchronous?: SqliteSynchronous;
}

export type ParsedDatabaseUrl =
  | { kind: "sqlite"; path: string }
  | { kind: "postgres"; url: string };

/** Thrown for a DATABASE_URL this project cannot open; the message says what is accepted. */
export class DatabaseUrlError extends Error {}

/**
 * Accepts `sqlite:./file.db`, `sqlite:///./file.db` (the Python original's form),
 * `sqlite:///abs/path.db` in SQLAlchemy's sense is `sqlite:////abs/path.db`, `sqlite::memory:`,
 * and `postgres://` / `postgresql://` URLs (`?host=/dir` connects over the Unix socket there).
 */
export function parseDatabaseUrl(url: string): ParsedDatabaseUrl {
  const trimmed = url.trim();
  if (/^postgres(ql)?:\/\//i.test(trimmed)) {
    if (!URL.canParse(trimmed)) {
      throw new DatabaseUrlError(
        `DATABASE_URL "${url}" is not a valid URL: a user needs a host ` +
          `(postgres://user@localhost/db), and a Unix socket is named by ?host= ` +
          `(postgres://user@localhost/db?host=/var/run/postgresql)`,
      );
    }
    return { kind: "postgres", url: trimmed };
  }
  const sqlite = /^sqlite:(.*)$/i.exec(trimmed);
  if (sqlite) {
    let path = sqlite[1];
    if (path === ":memory:" || path === "///:memory:" || path === "//:memory:") {
      return { kind: "sqlite", path: ":memory:" };
    }
    // SQLAlchemy style: sqlite:///relative.db and sqlite:////absolute.db
    if (path.startsWith("///")) path = path.slice(3);
    else if (path.startsWith("//")) path = path.slice(2);
    if (path === "") throw new DatabaseUrlError(`DATABASE_URL "${url}" names no SQLite file`);
    return { kind: "sqlite", path };
  }
  throw new DatabaseUrlError(
    `DATABASE_URL "${url}" has an unknown scheme: expected sqlite:./file.db, sqlite::memory:, ` +
      `sqlite:///./file.db, postgres://... or postgresql://...`,
  );
}

export function connect(url: string, options: ConnectOptions = {}): Kysely<Database> {
  const parsed = parseDatabaseUrl(url);
  if (parsed.kind === "sqlite") {
    return new Kysely<Database>({
      dialect: mappingErrors(
        new NodeSqliteDialect(
          new NodeSqliteDatabase(parsed.path, { synchronous: options.sqliteSynchronous }),
        ),
      ),
    });
  }
  // `?schema=name` selects a schema (search_path), so one URL carries it to child processes.
  const pgUrl = new URL(parsed.url);
  const schema = options.schema ?? pgUrl.searchParams.get("schema") ?? undefined;
  pgUrl.searchParams.delete("schema");
  const settings = { connectionString: pgUrl.toString(), schema, max: options.poolSize ?? 10 };
  const pool = createPgPool(settings);
  const db = new Kysely<Database>({ dialect: mappingErrors(new PostgresDialect({ pool })) });
  postgresSettings.set(db, settings);
  return db;
}

const postgresSettings = new WeakMap<Kysely<Database>, PgSettings>();

/** How a Postgres Kysely instance connects, for a client of its own (LISTEN/NOTIFY). */
export function postgresSettingsOf(db: Kysely<Database>): PgSettings | undefined {
  return postgresSettings.get(db);
}
