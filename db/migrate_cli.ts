/** `deno task migrate`: brings the configured database's schema up to date. */
import { loadConfig } from "@app/lib";
import { connect } from "./connect.ts";
import { migrateToLatest } from "./migrate.ts";

const config = loadConfig();
const db = connect(config.DATABASE_URL, { sqliteSynchronous: config.SQLITE_SYNCHRONOUS });
try {
  const result = await migrateToLatest(db);
  const applied = result.results?.map((r) => r.migrationName) ?? [];
  console.log(applied.length ? `applied: ${applied.join(", ")}` : "schema is up to date");
} finally {
  await db.destroy();
}
