/** A child process for the concurrency test: many concurrent writers on one SQLite file. */
import { addMessage, connect, createTask, ensureSession } from "../mod.ts";

const [url, worker, writers, rounds] = Deno.args;
const db = connect(url);
await Promise.all(Array.from({ length: Number(writers) }, async (_, w) => {
  const sessionId = `sess_w${worker}_${w}`;
  await ensureSession(db, { session_id: sessionId, user_id: `u${worker}` });
  for (let i = 0; i < Number(rounds); i++) {
    await addMessage(db, { session_id: sessionId, role: "user", content: `m${i}` });
    await createTask(db, { session_id: sessionId, user_id: `u${worker}`, description: `t${i}` });
  }
}));
await db.destroy();
