/**
 * `deno task keys`: users' API keys on the configured database (DATABASE_URL, .env).
 *   deno task keys create <user_id> [--role admin|user]   prints the new key, once
 *   deno task keys list                                    every key (never the keys themselves)
 *   deno task keys revoke <id>                             the key stops working at once
 */
import { connect, listApiKeys, migrateToLatest, type Role } from "@app/db";
import { loadConfigOrExit } from "@app/lib";
import { createKey, revokeKey } from "../orchestrator/auth/key_service.ts";

const USAGE = "usage: deno task keys create <user_id> [--role admin|user] | list | revoke <id>";
/** Who the audit log names for what this command does. */
const ACTOR = `cli:${Deno.env.get("USER") ?? "unknown"}`;

function fail(message: string): never {
  console.error(message);
  Deno.exit(2);
}

const [command, ...rest] = Deno.args;
const positional = rest.filter((arg, i) => !arg.startsWith("--") && rest[i - 1] !== "--role");
const roleAt = rest.indexOf("--role");
const role =
  (roleAt >= 0 ? rest[roleAt + 1] : rest.find((a) => a.startsWith("--role="))?.slice(7)) ??
    "user";

if (!["create", "list", "revoke"].includes(command)) fail(USAGE);
if (role !== "admin" && role !== "user") fail(`--role must be admin or user, not "${role}"`);

const config = loadConfigOrExit("keys");
const db = connect(config.DATABASE_URL, { sqliteSynchronous: config.SQLITE_SYNCHRONOUS });
try {
  await migrateToLatest(db);
  if (command === "create") {
    const userId = positional[0]?.trim();
    if (!userId) fail(`create needs a user id\n${USAGE}`);
    const created = await createKey(db, { user_id: userId, role: role as Role, actor: ACTOR });
    console.error(`key ${created.id} for ${created.user_id} (${created.role}); shown only now:`);
    console.log(created.key);
  } else if (command === "list") {
    for (const key of await listApiKeys(db)) {
      const state = key.revoked_at ? `revoked ${key.revoked_at}` : "active";
      console.log(
        `${key.id}\t${key.user_id}\t${key.role}\t${key.prefix}…\t${key.created_at}\t${state}`,
      );
    }
  } else {
    const id = Number(positional[0]);
    if (!Number.isInteger(id) || id <= 0) fail(`revoke needs a key id\n${USAGE}`);
    if (!(await revokeKey(db, id, ACTOR))) fail(`no active key ${id}`);
    console.log(`key ${id} revoked`);
  }
} finally {
  await db.destroy();
}
