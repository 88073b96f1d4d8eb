/**
 * Human in the loop (issue 15): a step whose agent asked a question keeps it (`question`), the
 * agent's own A2A task and context to answer into, and the answer until it is sent (`answer`;
 * `answers` counts those sent, so each gets its own idempotency key).
 */
// deno-lint-ignore-file no-explicit-any
import type { Kysely } from "kysely";

const COLUMNS = ["question", "agent_task_id", "agent_context_id", "answer"] as const;

export async function up(db: Kysely<any>): Promise<void> {
  for (const column of COLUMNS) {
    await db.schema.alterTable("task_steps").addColumn(column, "text").execute();
  }
  await db.schema.alterTable("task_steps")
    .addColumn("answers", "integer", (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of [...COLUMNS, "answers"]) {
    await db.schema.alterTable("task_steps").dropColumn(column).execute();
  }
}
