/**
 * Hot statements, declared once: SQL text with named `:placeholders`, typed parameters and row
 * type. Building a query with Kysely's builder costs more than SQLite takes to run a small one
 * (see statement_bench.ts), so the statements every task runs many times are written as text;
 * everything else uses the builder.
 *
 *   const insertEvent = statement<{ task_id: number; type: string }, { id: number }>(
 *     `insert into "task_events" ("task_id", "type") values (:task_id, :type) returning "id"`,
 *   );
 *   const [row] = await insertEvent.query(trx, { task_id: 1, type: "task.created" });
 *
 * The text is rendered once per dialect at declaration (`?` for SQLite, `$n` for Postgres, a
 * name used twice binding one `$n`), and on Postgres it runs as a named statement, prepared
 * once per connection (see prepared.ts and pg.ts). It runs on whatever Kysely instance or
 * transaction it is given, like any Kysely query.
 */
import { CompiledQuery, type Kysely, PostgresAdapter } from "kysely";
import type { Database } from "./schema.ts";
import { registerPrepared } from "./prepared.ts";

type Db = Kysely<Database>;

/** What a parameter may be: scalars on both databases, arrays (for `unnest`) on Postgres. */
export type SqlValue = string | number | bigint | boolean | null | readonly SqlValue[];

/** A statement's text for one dialect, and which named parameter each placeholder takes. */
export interface Rendered {
  text: string;
  names: readonly string[];
}

/** Thrown when a statement runs without a value for one of its placeholders. */
export class MissingParameterError extends Error {
  constructor(name: string, text: string) {
    super(`statement parameter :${name} has no value (in: ${text.slice(0, 80)}...)`);
  }
}

// Quoted strings and identifiers are skipped whole, so a colon inside them is left alone; the
// look-behind leaves Postgres casts (`::integer`) alone.
const TOKENS = /'(?:[^']|'')*'|"(?:[^"]|"")*"|(?<!:):([A-Za-z_][A-Za-z0-9_]*)/g;

/** `:name` placeholders as `?` (each occurrence its own value, in order of appearance). */
export function renderForSqlite(text: string): Rendered {
  const names: string[] = [];
  const rendered = text.replace(TOKENS, (token, name?: string) => {
    if (name === undefined) return token;
    names.push(name);
    return "?";
  });
  return { text: rendered, names };
}

/** `:name` placeholders as `$1, $2...` (a name used twice binds the same `$n`). */
export function renderForPostgres(text: string): Rendered {
  const names: string[] = [];
  const rendered = text.replace(TOKENS, (token, name?: string) => {
    if (name === undefined) return token;
    let index = names.indexOf(name);
    if (index < 0) index = names.push(name) - 1;
    return `$${index + 1}`;
  });
  return { text: rendered, names };
}

export class Statement<Params extends Record<string, SqlValue>, Row = never> {
  readonly sqlite: Rendered;
  readonly postgres: Rendered;

  constructor(readonly text: string) {
    this.sqlite = renderForSqlite(text);
    this.postgres = renderForPostgres(text);
    registerPrepared(this.postgres.text);
  }

  /** The query to send to `db`'s database, parameters in placeholder order. */
  compile(db: Db, params: Params): CompiledQuery<Row> {
    const rendered = db.getExecutor().adapter instanceof PostgresAdapter
      ? this.postgres
      : this.sqlite;
    const { names } = rendered;
    const values = new Array<unknown>(names.length);
    for (let i = 0; i < names.length; i++) {
      const value = params[names[i]];
      if (value === undefined) throw new MissingParameterError(names[i], this.text);
      values[i] = value;
    }
    return CompiledQuery.raw(rendered.text, values) as CompiledQuery<Row>;
  }

  /** Runs the statement and resolves to the rows it returns. */
  async query(db: Db, params: Params): Promise<Row[]> {
    return (await db.executeQuery(this.compile(db, params))).rows;
  }

  /** Runs the statement and resolves to the number of rows it changed. */
  async execute(db: Db, params: Params): Promise<number> {
    return Number((await db.executeQuery(this.compile(db, params))).numAffectedRows ?? 0n);
  }
}

/** Declares a statement: `Params` names its placeholders' values, `Row` what it returns. */
export function statement<Params extends Record<string, SqlValue>, Row = never>(
  text: string,
): Statement<Params, Row> {
  return new Statement<Params, Row>(text);
}
