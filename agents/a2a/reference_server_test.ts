/**
 * The SDK's reference server (Express on Deno's node:http) closes with a connection open that
 * never sent a request: Deno's fetch leaves one in its pool when a checked-in connection wins
 * the race against the one it was opening (more often under load). Deno's `server.close()`
 * does not close such a connection (denoland/deno#36513), so close() waited until fetch's pool
 * dropped it, 90 to 180 s later: the conformance tests once took 3m0s.
 */
import { assertEquals } from "@app/lib/assert";
import { startReferenceServer } from "./testdata/reference_server.ts";

Deno.test("[a2a] the reference server closes with a connection that never sent a request", async () => {
  const reference = await startReferenceServer();
  const spare = await Deno.connect({
    hostname: "127.0.0.1",
    port: Number(new URL(reference.url).port),
  });
  try {
    // Served once, so the server has accepted the idle connection too by the time it closes.
    const card = await fetch(`${reference.url}/.well-known/agent-card.json`);
    assertEquals(card.status, 200);
    await card.body?.cancel();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const outcome = await Promise.race([
      reference.close().then(() => "closed"),
      new Promise<string>((resolve) => {
        timer = setTimeout(() => resolve("close() still waits for the idle connection"), 10_000);
      }),
    ]);
    clearTimeout(timer);
    assertEquals(outcome, "closed");
  } finally {
    spare.close();
  }
});
