/**
 * `@modelcontextprotocol/server-everything`, the MCP project's own reference server, started in
 * its Streamable HTTP mode (argument `streamableHttp`, port from `PORT`; it says "listening on
 * port" on stderr when ready). A real third-party MCP server for the tests: no one here wrote it.
 */
import { freePort } from "./free_port.ts";

export const EVERYTHING_SERVER = "npm:@modelcontextprotocol/server-everything@2026.8.31";

export interface EverythingServer {
  /** The MCP endpoint (Streamable HTTP). */
  url: string;
  close(): Promise<void>;
}

export async function startEverythingServer(): Promise<EverythingServer> {
  const port = freePort();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", EVERYTHING_SERVER, "streamableHttp"],
    env: { PORT: String(port), NO_COLOR: "1" },
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  while (!/listening on port/i.test(seen)) {
    const { value, done } = await reader.read();
    if (done) {
      await child.status;
      throw new Error(`server-everything did not start: ${seen}`);
    }
    seen += value;
  }
  // Keep draining stderr so the child never blocks on a full pipe.
  const drained = (async () => {
    while (!(await reader.read()).done) { /* discard */ }
  })().catch(() => {});
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    async close() {
      try {
        child.kill("SIGTERM");
      } catch { /* already gone */ }
      await child.status;
      await drained;
    },
  };
}
