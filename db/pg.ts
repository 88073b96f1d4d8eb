/**
 * The Postgres driver: node-postgres (`pg`) under Kysely's own PostgresDialect.
 *
 * Why not postgres.js: under Deno, postgres.js 3.4.x leaves a transaction hanging for ever
 * when its connection drops mid-transaction (its rollback writes to a socket that is already
 * gone, from a timer, and the promise never settles), so one database blip froze the pool.
 * node-postgres fails those queries, discards the broken client and reconnects.
 */
// @ts-types="npm:@types/pg@8.23.1"
import pg from "pg";
import { preparedName } from "./prepared.ts";

export type PgPool = pg.Pool;
export type PgClient = pg.Client;

/** Postgres prints "2025-11-02 19:35:00.123+00" (or "+05:30"); JavaScript wants ISO-8601. */
export function parsePgTimestamp(value: string): string {
  const iso = value.replace(" ", "T").replace(/([+-]\d\d)$/, "$1:00");
  return new Date(/[zZ]|[+-]\d\d:\d\d$/.test(iso) ? iso : `${iso}Z`).toISOString();
}

const TIMESTAMP_OIDS = new Set([1114, 1184]);
const INT8_OID = 20;

/** Timestamps as the ISO strings SQLite stores; count(*) and bigserial ids as numbers. */
const types = {
  getTypeParser(oid: number, format?: string) {
    if (TIMESTAMP_OIDS.has(oid)) return parsePgTimestamp;
    if (oid === INT8_OID) return (value: string) => Number(value);
    // deno-lint-ignore no-explicit-any
    return pg.types.getTypeParser(oid, format as any);
  },
};

export interface PgSettings {
  connectionString: string;
  schema?: string;
  max?: number;
}

function clientConfig(settings: PgSettings): pg.ClientConfig {
  return {
    connectionString: settings.connectionString,
    // The schema becomes the connection's search_path, set at start-up.
    options: settings.schema ? `-c search_path=${settings.schema}` : undefined,
    types,
    connectionTimeoutMillis: 10_000,
  };
}

/** Runs the registered hot statements (see prepared.ts) as named, prepared statements. */
function usePreparedStatements(client: pg.PoolClient): void {
  // deno-lint-ignore no-explicit-any
  const query = client.query.bind(client) as (...args: any[]) => any;
  // deno-lint-ignore no-explicit-any
  (client as any).query = (text: unknown, values?: unknown[], ...rest: unknown[]) => {
    const name = typeof text === "string" ? preparedName(text) : undefined;
    return name ? query({ name, text, values }, ...rest) : query(text, values, ...rest);
  };
}

export function createPgPool(settings: PgSettings): pg.Pool {
  const pool = new pg.Pool({ ...clientConfig(settings), max: settings.max ?? 10 });
  // An idle client that loses its connection emits here; the pool has already dropped it.
  pool.on("error", () => {});
  // A checked-out client emits on its own; the query in flight fails with the same error and
  // the pool discards the client on release. Unheard, the event would end the process.
  pool.on("connect", (client) => {
    client.on("error", () => {});
    usePreparedStatements(client);
  });
  return pool;
}

/** A client outside the pool, for LISTEN, which needs a connection of its own. */
export function createPgClient(settings: PgSettings): pg.Client {
  return new pg.Client(clientConfig(settings));
}
