import { assertEquals } from "@app/lib/assert";
import { dbTest } from "../testing.ts";
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  purgeExpiredIdempotencyKeys,
  releaseIdempotencyKey,
} from "./idempotency_keys.ts";

const claim = {
  scope: "addr:1.2.3.4",
  key: "k1",
  fingerprint: "f1",
  ttlMs: 60_000,
  lockMs: 60_000,
};

dbTest(
  "[idempotency keys] a key is claimed once; the same body waits, another is refused",
  async ({ db }) => {
    assertEquals(await claimIdempotencyKey(db, claim), { kind: "claimed" });
    assertEquals(await claimIdempotencyKey(db, claim), { kind: "in_progress" });
    assertEquals(await claimIdempotencyKey(db, { ...claim, fingerprint: "f2" }), {
      kind: "mismatch",
    });
    // Another client's key of the same name is its own.
    assertEquals(await claimIdempotencyKey(db, { ...claim, scope: "addr:5.6.7.8" }), {
      kind: "claimed",
    });
  },
);

dbTest("[idempotency keys] a completed key replays its response", async ({ db }) => {
  await claimIdempotencyKey(db, claim);
  await completeIdempotencyKey(db, claim, 7, { task_id: 7, status: "pending" });
  assertEquals(await claimIdempotencyKey(db, claim), {
    kind: "replay",
    response: { task_id: 7, status: "pending" },
  });
  // Released only while unfinished: a completed key stays.
  await releaseIdempotencyKey(db, claim);
  assertEquals((await claimIdempotencyKey(db, claim)).kind, "replay");
});

dbTest("[idempotency keys] a released claim may be used again, with any body", async ({ db }) => {
  await claimIdempotencyKey(db, claim);
  await releaseIdempotencyKey(db, claim);
  assertEquals(await claimIdempotencyKey(db, { ...claim, fingerprint: "f2" }), {
    kind: "claimed",
  });
});

dbTest(
  "[idempotency keys] an expired key is forgotten; a dead claim is taken over",
  async ({ db }) => {
    await claimIdempotencyKey(db, claim);
    await completeIdempotencyKey(db, claim, 7, { task_id: 7 });
    const past = new Date(Date.now() - 1000).toISOString();
    await db.updateTable("idempotency_keys").set({ expires_at: past }).execute();
    assertEquals(await claimIdempotencyKey(db, { ...claim, fingerprint: "f2" }), {
      kind: "claimed",
    });

    // A claim whose lock ran out belongs to a request that never finished.
    await db.updateTable("idempotency_keys").set({ locked_until: past }).execute();
    assertEquals(await claimIdempotencyKey(db, { ...claim, fingerprint: "f2" }), {
      kind: "claimed",
    });
    assertEquals(await claimIdempotencyKey(db, { ...claim, fingerprint: "f2" }), {
      kind: "in_progress",
    });

    await db.updateTable("idempotency_keys").set({ expires_at: past }).execute();
    assertEquals(await purgeExpiredIdempotencyKeys(db), 1);
    assertEquals(await db.selectFrom("idempotency_keys").selectAll().execute(), []);
  },
);
