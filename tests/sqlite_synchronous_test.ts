/**
 * SQLITE_SYNCHRONOUS chooses how SQLite commits (NORMAL by default, or FULL): read back from
 * the running orchestrator's own connection. A value that is neither is a configuration error
 * naming the variable. (A SQLite setting: on Postgres it is accepted and has no effect.)
 */
import { sql } from "kysely";
import { assertEquals, assertMatch, assertThrows } from "@app/lib/assert";
import { ConfigError, parseConfig } from "@app/lib";
import { startOrchestrator } from "./helpers/orchestrator.ts";

/** SQLite's codes for the pragma's values. */
const PRAGMA_VALUE = { NORMAL: 1, FULL: 2 } as const;

for (
  const [setting, expected] of [
    [undefined, "NORMAL"],
    ["full", "FULL"],
    [" Normal ", "NORMAL"],
  ] as const
) {
  Deno.test(`[config] SQLITE_SYNCHRONOUS=${setting ?? "(unset)"} opens SQLite with ${expected}`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "sqlite-sync-" });
    const orch = await startOrchestrator(
      `sqlite:${dir}/orchestrator.db`,
      setting === undefined ? {} : { SQLITE_SYNCHRONOUS: setting },
      { execute: false },
    );
    try {
      const { rows } = await sql<{ synchronous: number }>`pragma synchronous`.execute(
        orch.orchestrator.db,
      );
      assertEquals(rows[0].synchronous, PRAGMA_VALUE[expected]);
    } finally {
      await orch.close();
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("[config] SQLITE_SYNCHRONOUS other than NORMAL or FULL is refused, by name", () => {
  const error = assertThrows(
    () => parseConfig({ SQLITE_SYNCHRONOUS: "off", LLM_PROVIDER: "offline" }),
    ConfigError,
  );
  assertMatch(error.message, /SQLITE_SYNCHRONOUS: .*"NORMAL".*"FULL".*\(got "off"\)/s);
});
