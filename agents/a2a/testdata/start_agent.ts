/** Starts the agent on a free port for a test, its card advertising that real address, on a
 * database of its own (a fresh SQLite file) unless one is given. */
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { Kysely } from "kysely";
import type { Database } from "@app/db";
import { openTestDatabase } from "@app/db/testing";
import { parseConfig, silentLogger } from "@app/lib";
import { createApp } from "../app.ts";
import { GraphPool } from "../graph/pool.ts";

export interface RunningAgent {
  url: string;
  close(): Promise<void>;
}

export async function startAgent(
  options: {
    llm?: BaseChatModel | null;
    nodeDelayMs?: number;
    env?: Record<string, string>;
    /** Run the offline graph on this many worker threads. */
    graphWorkers?: number;
    /** The database to keep its tasks in (the caller closes it); none: a fresh SQLite file. */
    db?: Kysely<Database>;
  } = {},
): Promise<RunningAgent> {
  const own = options.db ? undefined : await openTestDatabase("sqlite");
  const graphPool = options.graphWorkers
    ? new GraphPool(options.graphWorkers, { nodeDelayMs: options.nodeDelayMs })
    : undefined;
  // The card must carry the real port, known only once listening: the app is built after.
  const ready: { app?: ReturnType<typeof createApp> } = {};
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen: () => {} },
    (request) => ready.app!.fetch(request),
  );
  const url = `http://127.0.0.1:${server.addr.port}`;
  ready.app = createApp({
    config: parseConfig(options.env ?? {}),
    logger: silentLogger,
    llm: options.llm ?? null,
    db: options.db ?? own!.db,
    publicUrl: url,
    nodeDelayMs: options.nodeDelayMs,
    graphPool,
  });
  return {
    url,
    close: async () => {
      await server.shutdown();
      graphPool?.close();
      await own?.close();
    },
  };
}
