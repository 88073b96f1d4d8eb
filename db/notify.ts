/** Postgres NOTIFY for many signals in one round trip (the orchestrator's notifier batches). */
import type { Kysely } from "kysely";
import type { Database } from "./schema.ts";
import { sqlDialect } from "./dialect.ts";

/** NOTIFYs to send: `payloads[i]` on `channels[i]`. */
export interface Notifications {
  channels: string[];
  payloads: string[];
}

/** Sends `payloads[i]` on `channels[i]`, for every i, in one statement. */
export async function notifyMany(
  db: Kysely<Database>,
  channels: string[],
  payloads: string[],
): Promise<void> {
  if (channels.length) await sqlDialect(db).notifyMany(db, channels, payloads);
}
