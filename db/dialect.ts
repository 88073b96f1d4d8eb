/** Which database a Kysely instance talks to, for the few queries that differ. */
import { type Kysely, PostgresAdapter } from "kysely";

export type DialectName = "sqlite" | "postgres";

// deno-lint-ignore no-explicit-any
export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

// deno-lint-ignore no-explicit-any
export function dialectOf(db: Kysely<any>): DialectName {
  return isPostgres(db) ? "postgres" : "sqlite";
}
