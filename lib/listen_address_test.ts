import { assertEquals } from "./assert.ts";
import { listenAddress } from "./listen_address.ts";
import type { Logger } from "./logger.ts";

function recorder() {
  const lines: string[] = [];
  const log = (msg: string) => lines.push(msg);
  const logger = { debug: log, info: log, warn: log, error: log } as unknown as Logger;
  return { lines, logger };
}

Deno.test("[listen] with no authentication a service listens on loopback and says it is open", () => {
  const { lines, logger } = recorder();
  const off = { authenticated: false, allowUnauthenticated: false };
  assertEquals(listenAddress("0.0.0.0", off, logger), "127.0.0.1");
  assertEquals(listenAddress("10.1.2.3", off), "127.0.0.1");
  assertEquals(listenAddress("::", off), "127.0.0.1");
  assertEquals(listenAddress("127.0.0.1", off), "127.0.0.1");
  assertEquals(listenAddress("localhost", off), "localhost");
  assertEquals(lines.length, 1);
  assertEquals(lines[0].startsWith("open:"), true);
});

Deno.test("[listen] ALLOW_UNAUTHENTICATED keeps HOST (and says so); authentication keeps it silently", () => {
  const { lines, logger } = recorder();
  assertEquals(
    listenAddress("0.0.0.0", { authenticated: false, allowUnauthenticated: true }, logger),
    "0.0.0.0",
  );
  assertEquals(lines.length, 1);
  assertEquals(lines[0].includes("ALLOW_UNAUTHENTICATED"), true);
  assertEquals(
    listenAddress("0.0.0.0", { authenticated: true, allowUnauthenticated: false }, logger),
    "0.0.0.0",
  );
  assertEquals(lines.length, 1);
});
