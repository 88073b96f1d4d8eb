/** Starts the API agent on a free local port for a test, and a small JSON client for it. */
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { parseConfig, silentLogger } from "@app/lib";
import { createApp } from "../app.ts";

export interface TestServer {
  url: string;
  // deno-lint-ignore no-explicit-any -- tests read whatever JSON came back
  post(path: string, body: unknown): Promise<{ status: number; body: any }>;
  get(path: string): Promise<Response>;
  close(): Promise<void>;
}

export function startAgent(
  options: { env?: Record<string, string>; llm?: BaseChatModel | null } = {},
): TestServer {
  const config = parseConfig(options.env ?? {});
  const app = createApp({ config, logger: silentLogger, llm: options.llm });
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, app.fetch);
  const url = `http://127.0.0.1:${server.addr.port}`;
  return {
    url,
    async post(path, body) {
      const response = await fetch(url + path, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
      return { status: response.status, body: await response.json() };
    },
    get: (path) => fetch(url + path),
    close: () => server.shutdown(),
  };
}
