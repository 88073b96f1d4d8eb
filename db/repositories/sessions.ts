/** Sessions and their conversation. */
import type { Kysely, Selectable, Transaction } from "kysely";
import type { Database, MessagesTable } from "../schema.ts";
import type { JsonObject, Message, MessageRole, Session } from "../types.ts";
import { affected, isoNow, toJson } from "../codec.ts";
import { decodeCursor, encodeCursor } from "../cursor.ts";
import { messageRows, sessionRows } from "../rows.ts";
import { TransactionConflict } from "../errors.ts";
import { statement } from "../statement.ts";

type Db = Kysely<Database> | Transaction<Database>;

const toSession = sessionRows.decode;
const toMessage = messageRows.decode;

// Columns named, never `*` (see events.ts).
const MESSAGE_COLUMNS =
  `"id", "session_id", "role", "content", "task_id", "metadata", "created_at"`;

const insertSession = statement<
  { session_id: string; user_id: string; metadata: string; now: string },
  { id: number }
>(
  `insert into "sessions" ("session_id", "user_id", "metadata", "created_at", "updated_at") ` +
    `values (:session_id, :user_id, :metadata, :now, :now) returning "id"`,
);

type MessageParams = {
  session_id: string;
  role: string;
  content: string;
  task_id: number | null;
  metadata: string;
  created_at: string;
};

const insertMessage = statement<MessageParams, Selectable<MessagesTable>>(
  `insert into "messages" ("session_id", "role", "content", "task_id", "metadata", ` +
    `"created_at") values (:session_id, :role, :content, :task_id, :metadata, :created_at) ` +
    `returning ${MESSAGE_COLUMNS}`,
);

const insertMessageRow = statement<MessageParams>(
  `insert into "messages" ("session_id", "role", "content", "task_id", "metadata", ` +
    `"created_at") values (:session_id, :role, :content, :task_id, :metadata, :created_at)`,
);

const touchSession = statement<{ session_id: string; now: string }>(
  `update "sessions" set "updated_at" = :now where "session_id" = :session_id`,
);

const lastMessages = statement<{ session_id: string; last: number }, Selectable<MessagesTable>>(
  `select ${MESSAGE_COLUMNS} from "messages" where "session_id" = :session_id ` +
    `order by "id" desc limit :last`,
);

/** A new, unguessable session id in the original's "sess_..." form. */
export function newSessionId(): string {
  return `sess_${crypto.randomUUID().replaceAll("-", "").slice(0, 20)}`;
}

export async function createSession(
  db: Db,
  input: { user_id: string; metadata?: JsonObject; session_id?: string },
): Promise<Session> {
  const now = isoNow();
  const session = {
    id: 0,
    session_id: input.session_id ?? newSessionId(),
    user_id: input.user_id,
    metadata: input.metadata ?? {},
    created_at: now,
    updated_at: now,
  };
  const [{ id }] = await insertSession.query(db, {
    session_id: session.session_id,
    user_id: session.user_id,
    metadata: toJson(session.metadata),
    now,
  });
  return { ...session, id: Number(id) };
}

/** The session; with `owner`, only if that user owns it (an access check in the query itself). */
export async function getSession(
  db: Db,
  sessionId: string,
  owner?: string,
): Promise<Session | undefined> {
  let query = db.selectFrom("sessions").selectAll().where("session_id", "=", sessionId);
  if (owner !== undefined) query = query.where("user_id", "=", owner);
  const row = await query.executeTakeFirst();
  return row && toSession(row);
}

/** The session with this id, created for `user_id` if it does not exist yet. */
export async function ensureSession(
  db: Db,
  input: { session_id: string; user_id: string; metadata?: JsonObject },
): Promise<Session> {
  const now = isoNow();
  await db.insertInto("sessions").values({
    session_id: input.session_id,
    user_id: input.user_id,
    metadata: toJson(input.metadata ?? {}),
    created_at: now,
    updated_at: now,
  }).onConflict((oc) => oc.column("session_id").doNothing()).execute();
  return (await getSession(db, input.session_id))!;
}

export interface SessionPage {
  sessions: Session[];
  /** Pass back as `cursor` for the next page; absent on the last page. */
  nextCursor?: string;
}

/** Sessions, most recently active first, keyset-paginated on (updated_at, id). */
export async function listSessions(
  db: Db,
  filter: { user_id?: string; limit?: number; cursor?: string; owner?: string } = {},
): Promise<SessionPage> {
  const limit = filter.limit ?? 50;
  let query = db.selectFrom("sessions").selectAll()
    .orderBy("updated_at", "desc").orderBy("id", "desc").limit(limit + 1);
  if (filter.user_id) query = query.where("user_id", "=", filter.user_id);
  if (filter.owner !== undefined) query = query.where("user_id", "=", filter.owner);
  if (filter.cursor) {
    const [updatedAt, id] = decodeCursor(filter.cursor);
    query = query.where((eb) =>
      eb.or([
        eb("updated_at", "<", updatedAt),
        eb.and([eb("updated_at", "=", updatedAt), eb("id", "<", Number(id))]),
      ])
    );
  }
  const rows = await query.execute();
  const page = rows.slice(0, limit).map(toSession);
  const last = page.at(-1);
  return {
    sessions: page,
    nextCursor: rows.length > limit && last ? encodeCursor([last.updated_at, last.id]) : undefined,
  };
}

/**
 * Deletes a session with its messages, tasks, steps and events. The cascade locks rows in an
 * order of its own while running tasks write to them, so Postgres may pick it as a deadlock
 * victim: it is simply tried again.
 */
export async function deleteSession(db: Db, sessionId: string, owner?: string): Promise<boolean> {
  for (let attempt = 1;; attempt++) {
    try {
      let query = db.deleteFrom("sessions").where("session_id", "=", sessionId);
      if (owner !== undefined) query = query.where("user_id", "=", owner);
      return affected(await query.executeTakeFirst()) > 0;
    } catch (error) {
      if (attempt >= 5 || !(error instanceof TransactionConflict)) throw error;
    }
  }
}

export async function addMessage(
  db: Db,
  input: {
    session_id: string;
    role: MessageRole;
    content: string;
    task_id?: number | null;
    metadata?: JsonObject;
  },
): Promise<Message> {
  const now = isoNow();
  const [row] = await insertMessage.query(db, {
    session_id: input.session_id,
    role: input.role,
    content: input.content,
    task_id: input.task_id ?? null,
    metadata: toJson(input.metadata ?? {}),
    created_at: now,
  });
  await touchSession.execute(db, { session_id: input.session_id, now });
  return toMessage(row);
}

export interface NewMessage {
  session_id: string;
  role: MessageRole;
  content: string;
  task_id?: number | null;
  metadata?: JsonObject;
  created_at: string;
}

/**
 * Adds many messages, in order, without reading them back, and marks their sessions active,
 * one prepared statement per row (Postgres batches go through its dialect's `insertAppends`).
 */
export async function insertMessages(db: Db, messages: readonly NewMessage[]): Promise<void> {
  if (!messages.length) return;
  for (const m of messages) {
    await insertMessageRow.execute(db, {
      session_id: m.session_id,
      role: m.role,
      content: m.content,
      task_id: m.task_id ?? null,
      metadata: toJson(m.metadata ?? {}),
      created_at: m.created_at,
    });
  }
  const now = messages.at(-1)!.created_at;
  for (const session of new Set(messages.map((m) => m.session_id))) {
    await touchSession.execute(db, { session_id: session, now });
  }
}

/** The conversation in order; with `last`, only the most recent `last` messages. */
export async function listMessages(
  db: Db,
  sessionId: string,
  options: { last?: number } = {},
): Promise<Message[]> {
  if (options.last !== undefined) {
    const rows = await lastMessages.query(db, { session_id: sessionId, last: options.last });
    return rows.reverse().map(toMessage);
  }
  const rows = await db.selectFrom("messages").selectAll().where("session_id", "=", sessionId)
    .orderBy("id", "asc").execute();
  return rows.map(toMessage);
}

export interface SessionActivity {
  message_count: number;
  last_activity: string | null;
}

export async function sessionActivity(db: Db, sessionId: string): Promise<SessionActivity> {
  return (await sessionActivities(db, [sessionId])).get(sessionId)!;
}

/** Message count and last message time of many sessions, in one grouped query. */
export async function sessionActivities(
  db: Db,
  sessionIds: string[],
): Promise<Map<string, SessionActivity>> {
  const activity = new Map<string, SessionActivity>(
    sessionIds.map((id) => [id, { message_count: 0, last_activity: null }]),
  );
  if (!sessionIds.length) return activity;
  const rows = await db.selectFrom("messages")
    .select([
      "session_id",
      (eb) => eb.fn.countAll<number>().as("count"),
      (eb) => eb.fn.max("created_at").as("last"),
    ])
    .where("session_id", "in", sessionIds).groupBy("session_id").execute();
  for (const row of rows) {
    activity.set(row.session_id, {
      message_count: Number(row.count),
      last_activity: row.last ?? null,
    });
  }
  return activity;
}
