/**
 * `connect(url)`: one typed Kysely instance for SQLite (`sqlite:` URLs, through `node:sqlite`)
 * or Postgres (`postgres://`, `postgresql://`, through postgres.js).
 */
import { Kysely } from "kysely";
import postgres from "postgres";
import { PostgresJSDialect } from "kysely-postgres-js";
import type { Database } from "./schema.ts";
import { NodeSqliteDatabase, NodeSqliteDialect } from "./sqlite_adapter.ts";

export interface ConnectOptions {
  /** Postgres connection pool size. */
  poolSize?: number;
  /** Postgres schema to use as search_path (it must exist); tests give each run its own. */
  schema?: string;
}

export type ParsedDatabaseUrl =
  | { kind: "sqlite"; path: string }
  | { kind: "postgres"; url: string };

/** Thrown for a DATABASE_URL this project cannot open; the message says what is accepted. */
export class DatabaseUrlError extends Error {}

/**
 * Accepts `sqlite:./file.db`, `sqlite:///./file.db` (the Python original's form),
 * `sqlite:///abs/path.db` in SQLAlchemy's sense is `sqlite:////abs/path.db`, `sqlite::memory:`,
 * and `postgres://` / `postgresql://` URLs.
 */
export function parseDatabaseUrl(url: string): ParsedDatabaseUrl {
  const trimmed = url.trim();
  if (/^postgres(ql)?:\/\//i.test(trimmed)) return { kind: "postgres", url: trimmed };
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

const PG_TIMESTAMP_OIDS = [1114, 1184];

/** Postgres prints "2025-11-02 19:35:00.123+00" (or "+05:30"); JavaScript wants ISO-8601. */
function parsePgTimestamp(value: string): string {
  const iso = value.replace(" ", "T").replace(/([+-]\d\d)$/, "$1:00");
  return new Date(/[zZ]|[+-]\d\d:\d\d$/.test(iso) ? iso : `${iso}Z`).toISOString();
}

export function connect(url: string, options: ConnectOptions = {}): Kysely<Database> {
  const parsed = parseDatabaseUrl(url);
  if (parsed.kind === "sqlite") {
    return new Kysely<Database>({
      dialect: new NodeSqliteDialect(new NodeSqliteDatabase(parsed.path)),
    });
  }
  // `?schema=name` selects a schema (search_path), so one URL carries it to child processes.
  const pgUrl = new URL(parsed.url);
  const schema = options.schema ?? pgUrl.searchParams.get("schema") ?? undefined;
  pgUrl.searchParams.delete("schema");
  const client = postgres(pgUrl.toString(), {
    max: options.poolSize ?? 10,
    onnotice: () => {},
    connection: schema ? { search_path: schema } : {},
    types: {
      // Timestamps come back as the same ISO-8601 UTC strings SQLite stores.
      isoTimestamp: {
        to: 1184,
        from: PG_TIMESTAMP_OIDS,
        serialize: (value: unknown) => value instanceof Date ? value.toISOString() : String(value),
        parse: parsePgTimestamp,
      },
      // count(*) and bigserial ids are int8: small enough here to be plain numbers.
      int8: {
        to: 20,
        from: [20],
        serialize: (value: unknown) => String(value),
        parse: (value: string) => Number(value),
      },
    },
  });
  const db = new Kysely<Database>({ dialect: new PostgresJSDialect({ postgres: client }) });
  postgresClients.set(db, client);
  return db;
}

const postgresClients = new WeakMap<Kysely<Database>, postgres.Sql>();

/** The postgres.js client under a Postgres Kysely instance, for LISTEN/NOTIFY. */
export function postgresClientOf(db: Kysely<Database>): postgres.Sql | undefined {
  return postgresClients.get(db);
}
