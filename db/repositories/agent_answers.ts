/**
 * Answer once per idempotency key, for the built-in agents: the first call with a key does the
 * work and stores its answer; a repeated call (a retry, a fallback, an orchestrator's takeover
 * after a crash) gets the stored answer, waiting for it if the first is still working, on this
 * process or another. A failed run stores nothing, so the next call does the work again.
 */
import { type Kysely, sql } from "kysely";
import type { Database, Json } from "../schema.ts";
import { affected, isoNow, toJson } from "../codec.ts";
import { Coalescer } from "../coalescer.ts";

type Db = Kysely<Database>;

const later = (ms: number) => isoNow(new Date(Date.now() + ms));

type Found =
  | { kind: "claimed"; lockedUntil: string }
  | { kind: "answered"; answer: Json }
  | { kind: "working" };

interface NewClaim {
  key: string;
  lockedUntil: string;
  expiresAt: string;
}

/**
 * Inserts the claims of many keys at once; true for each that this insert took. A key twice in
 * the batch is taken by its first claim only.
 */
async function insertClaims(db: Db, agent: string, claims: NewClaim[]): Promise<boolean[]> {
  const now = isoNow();
  const rows = claims.map((c) => ({
    agent,
    key: c.key,
    created_at: now,
    locked_until: c.lockedUntil,
    expires_at: c.expiresAt,
  }));
  const taken = new Set(
    (await db.insertInto("agent_answers").values(rows)
      .onConflict((oc) => oc.columns(["agent", "key"]).doNothing()).returning("key").execute())
      .map((row) => row.key),
  );
  return claims.map((c) => taken.delete(c.key));
}

/** Stores the answers of many keys at once, as one update each would. */
async function storeAnswers(
  db: Db,
  agent: string,
  answers: { key: string; answer: string }[],
): Promise<void[]> {
  const values = sql.join(
    answers.map((a, i) =>
      i === 0
        ? sql`select ${a.key} as "key", ${a.answer} as "answer"`
        : sql`select ${a.key}, ${a.answer}`
    ),
    sql` union all `,
  );
  await sql`update "agent_answers" set "answer" = "v"."answer" from (${values}) as "v"
    where "agent_answers"."agent" = ${agent} and "agent_answers"."key" = "v"."key"`.execute(db);
  return answers.map(() => undefined);
}

/** Takes `key` for `agent`'s work, or finds its answer, or finds it being worked on. */
export async function claimAgentAnswer(
  db: Db,
  agent: string,
  key: string,
  options: { ttlMs: number; lockMs: number },
): Promise<Found> {
  for (let turn = 0; turn < 5; turn++) {
    const lockedUntil = later(options.lockMs);
    const inserted = await db.insertInto("agent_answers").values({
      agent,
      key,
      created_at: isoNow(),
      locked_until: lockedUntil,
      expires_at: later(options.ttlMs),
    }).onConflict((oc) => oc.columns(["agent", "key"]).doNothing()).returning("key")
      .executeTakeFirst();
    if (inserted) return { kind: "claimed", lockedUntil };
    const row = await db.selectFrom("agent_answers")
      .select(["answer", "locked_until", "expires_at"])
      .where("agent", "=", agent).where("key", "=", key).executeTakeFirst();
    if (!row) continue;
    if (Date.parse(row.expires_at) <= Date.now()) {
      await db.deleteFrom("agent_answers").where("agent", "=", agent).where("key", "=", key)
        .where("expires_at", "=", row.expires_at).execute();
      continue;
    }
    if (row.answer !== null) return { kind: "answered", answer: JSON.parse(row.answer) };
    if (Date.parse(row.locked_until) > Date.now()) return { kind: "working" };
    // Its worker stopped renewing (its process died): the work is ours to do.
    const taken = await db.updateTable("agent_answers").set({ locked_until: lockedUntil })
      .where("agent", "=", agent).where("key", "=", key)
      .where("locked_until", "=", row.locked_until).where("answer", "is", null)
      .executeTakeFirst();
    if (affected(taken) === 1) return { kind: "claimed", lockedUntil };
  }
  return { kind: "working" };
}

export interface AgentAnswersOptions {
  /** Which agent's answers (each agent has its own keys). */
  agent: string;
  /** How long an answer is kept. */
  ttlMs: number;
  /** A worker's hold on a key, renewed at a third of it while it works. */
  lockMs?: number;
  /** How often a repeated call looks for the answer another process is working on. */
  pollMs?: number;
}

/** One agent's answers by idempotency key, with counts of work done and answers replayed. */
export class AgentAnswers {
  readonly stats = { computed: 0, replayed: 0 };
  readonly #db: Db;
  readonly #agent: string;
  readonly #ttlMs: number;
  readonly #lockMs: number;
  readonly #pollMs: number;
  /** Work running in this process, by key: a repeated call here waits on it directly. */
  readonly #running = new Map<string, Promise<Json>>();
  /** Many running tasks' first claims and answers, each batch one statement. */
  readonly claims: Coalescer<NewClaim, boolean>;
  readonly answers: Coalescer<{ key: string; answer: string }, void>;
  #lastPurge = 0;

  constructor(db: Db, options: AgentAnswersOptions) {
    this.#db = db;
    this.#agent = options.agent;
    this.#ttlMs = options.ttlMs;
    this.#lockMs = options.lockMs ?? 30_000;
    this.#pollMs = options.pollMs ?? 100;
    this.claims = new Coalescer((claims) => insertClaims(db, this.#agent, claims));
    this.answers = new Coalescer((answers) => storeAnswers(db, this.#agent, answers));
  }

  /** `work`'s answer for `key`: done now, or the stored one of an earlier call with it. */
  async once<T extends Json>(
    key: string,
    work: () => Promise<T>,
    signal?: AbortSignal,
  ): Promise<{ answer: T; replayed: boolean }> {
    this.#purgeNow();
    while (true) {
      signal?.throwIfAborted();
      const running = this.#running.get(key);
      if (running) {
        const answer = await running.catch(() => undefined);
        if (answer !== undefined) return this.#replayed(answer as T);
        continue;
      }
      const found = await this.#claim(key);
      if (found.kind === "answered") return this.#replayed(found.answer as T);
      if (found.kind === "working") {
        await new Promise((resolve) => setTimeout(resolve, this.#pollMs));
        continue;
      }
      const run = this.#work(key, work);
      this.#running.set(key, run);
      try {
        return { answer: await run as T, replayed: false };
      } finally {
        this.#running.delete(key);
      }
    }
  }

  /** A new key is taken by the first insert (batched); any other goes the whole way. */
  async #claim(key: string): Promise<Found> {
    const lockedUntil = later(this.#lockMs);
    if (await this.claims.call({ key, lockedUntil, expiresAt: later(this.#ttlMs) })) {
      return { kind: "claimed", lockedUntil };
    }
    return await claimAgentAnswer(this.#db, this.#agent, key, {
      ttlMs: this.#ttlMs,
      lockMs: this.#lockMs,
    });
  }

  /** Expired answers go at most once a minute, by whichever call comes. */
  #purgeNow(): void {
    if (Date.now() - this.#lastPurge < 60_000) return;
    this.#lastPurge = Date.now();
    purgeExpiredAgentAnswers(this.#db).catch(() => {});
  }

  #replayed<T>(answer: T): { answer: T; replayed: boolean } {
    this.stats.replayed++;
    return { answer, replayed: true };
  }

  async #work(key: string, work: () => Promise<Json>): Promise<Json> {
    const where = (db: Db) =>
      db.updateTable("agent_answers").where("agent", "=", this.#agent).where("key", "=", key);
    const renew = setInterval(() => {
      where(this.#db).set({ locked_until: later(this.#lockMs) }).where("answer", "is", null)
        .execute().catch(() => {});
    }, this.#lockMs / 3);
    try {
      this.stats.computed++;
      const answer = await work();
      await this.answers.call({ key, answer: toJson(answer) });
      return answer;
    } catch (error) {
      // Nothing to replay: the next call with this key does the work again.
      await this.#db.deleteFrom("agent_answers").where("agent", "=", this.#agent)
        .where("key", "=", key).where("answer", "is", null).execute().catch(() => {});
      throw error;
    } finally {
      clearInterval(renew);
    }
  }
}

/** Removes answers past their time; returns how many. */
export async function purgeExpiredAgentAnswers(db: Db): Promise<number> {
  const result = await db.deleteFrom("agent_answers").where("expires_at", "<=", isoNow())
    .executeTakeFirst();
  return affected(result);
}
