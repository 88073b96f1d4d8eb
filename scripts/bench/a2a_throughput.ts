/**
 * A2A `SendMessage` per second: the built-in A2A agent (its offline LangGraph graph) beside the
 * SDK's bare Express server with an instant executor, same client, same run, and the ratio of the
 * two (built-in / bare).
 */
import { startServiceProcess } from "../service_process.ts";
import { freePort, runPool } from "./load.ts";
import type { Row } from "./peers.ts";

/** A first run may download npm packages before a service listens. */
const START_TIMEOUT_MS = 120_000;

export async function a2aThroughput(
  options: { messages: number; concurrency: number },
): Promise<Row[]> {
  const port = freePort();
  // The agent keeps its tasks in the database: a SQLite file of its own, as in a default setup.
  const dir = await Deno.makeTempDir({ prefix: "bench-a2a-" });
  const ours = await startServiceProcess("agents/a2a/main.ts", {
    DATABASE_URL: `sqlite:${dir}/a2a.db`,
    A2A_AGENT_PORT: String(port),
    A2A_AGENT_URL: `http://127.0.0.1:${port}`,
    LLM_PROVIDER: "offline",
    LOG_LEVEL: "info",
  }, { timeoutMs: START_TIMEOUT_MS });
  const bare = await startServiceProcess("scripts/bench/bare_a2a_server.ts", {}, {
    timeoutMs: START_TIMEOUT_MS,
    args: [String(freePort())],
  });
  const { messages, concurrency } = options;
  const send = (url: string) => async (i: number) => {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "A2A-Version": "1.0" },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: i,
        method: "SendMessage",
        params: {
          message: {
            messageId: crypto.randomUUID(),
            role: "ROLE_USER",
            parts: [{
              text: `Research Deno ${i}. Deno 2 shipped in October 2024 with npm support.`,
            }],
          },
        },
      }),
    });
    const body = await response.json();
    if (!body.result) throw new Error(JSON.stringify(body).slice(0, 200));
  };
  try {
    const results: Row[] = [];
    for (
      const [label, url] of [["A2A: our agent (offline LangGraph)", ours.url], [
        "A2A: bare @a2a-js/sdk Express server (instant executor)",
        bare.url,
      ]] as const
    ) {
      // Steady state is what counts: each server (and each of our agent's graph workers, which
      // compile their code separately) gets the same generous warm-up.
      await runPool(1_000, concurrency, send(url + "/"), `${label} warm-up`);
      const { seconds, errors } = await runPool(messages, concurrency, send(url + "/"), label);
      results.push({ label, messages, errors, messages_per_s: Math.round(messages / seconds) });
    }
    const [builtIn, sdk] = results.map((row) => Number(row.messages_per_s));
    results.push({
      label: "A2A: SendMessage/s ratio, built-in agent / bare SDK server (same client, same run)",
      built_in_per_s: builtIn,
      bare_per_s: sdk,
      ratio: Number((builtIn / sdk).toFixed(2)),
    });
    return results;
  } finally {
    await ours.kill("SIGTERM");
    await bare.kill("SIGTERM");
    await Deno.remove(dir, { recursive: true });
  }
}
