/** A process that migrates DATABASE_URL at START_AT (epoch ms), so several start the same instant. */
import { connect } from "../connect.ts";
import { migrateToLatest } from "../migrate.ts";

const db = connect(Deno.env.get("DATABASE_URL")!);
await new Promise((resolve) => setTimeout(resolve, Number(Deno.env.get("START_AT")) - Date.now()));
try {
  const result = await migrateToLatest(db);
  console.log(result.results?.length ? "applied" : "up to date");
} finally {
  await db.destroy();
}
