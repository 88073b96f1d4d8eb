import { assert, assertEquals } from "@app/lib/assert";
import { deadline } from "./deadline.ts";

Deno.test("[deadline] aborts after its time, and says so", async () => {
  const limit = deadline(new AbortController().signal, 20);
  await new Promise((resolve) => limit.signal.addEventListener("abort", resolve));
  assert(limit.timedOut);
  assertEquals((limit.signal.reason as DOMException).name, "TimeoutError");
  limit.clear();
});

Deno.test("[deadline] aborts with its parent, not as a timeout", () => {
  const parent = new AbortController();
  const limit = deadline(parent.signal, 60_000);
  parent.abort(new Error("cancelled"));
  assert(limit.signal.aborted);
  assertEquals(limit.timedOut, false);
  assertEquals((limit.signal.reason as Error).message, "cancelled");
  limit.clear();
});

Deno.test("[deadline] cleared, it neither fires nor holds its timer", async () => {
  const limit = deadline(new AbortController().signal, 10);
  limit.clear();
  await new Promise((resolve) => setTimeout(resolve, 30));
  assertEquals(limit.signal.aborted, false);
  assertEquals(limit.timedOut, false);
});
