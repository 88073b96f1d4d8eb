/**
 * Each step keeps the name of the agent that ran it, so a past task still names its agents
 * after they are removed; existing steps take the name of their agent if it is still there.
 */
// deno-lint-ignore-file no-explicit-any
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("task_steps").addColumn("agent_name", "text").execute();
  await sql`update "task_steps" set "agent_name" = (select "name" from "agents" where "agents"."id" = "task_steps"."agent_id") where "agent_id" is not null`
    .execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("task_steps").dropColumn("agent_name").execute();
}
