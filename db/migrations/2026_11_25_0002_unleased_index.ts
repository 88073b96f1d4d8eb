/** An index for claiming tasks that were never leased, oldest first, without sorting. */
// deno-lint-ignore-file no-explicit-any
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex("tasks_unleased").on("tasks").column("id")
    .where(
      sql<boolean>`status in ('pending', 'planning', 'executing') and lease_expires_at is null`,
    )
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("tasks_unleased").execute();
}
