import { assertEquals, assertStringIncludes, assertThrows } from "./assert.ts";
import { ConfigError, loadConfig, parseConfig } from "./config.ts";

Deno.test("[config] defaults: SQLite file, offline LLM, the seed's ports and URLs", () => {
  const config = parseConfig({});
  assertEquals(config.DATABASE_URL, "sqlite:./agent_orchestrator.db");
  assertEquals(config.LLM_PROVIDER, "offline");
  assertEquals(
    [config.ORCHESTRATOR_PORT, config.A2A_AGENT_PORT, config.API_AGENT_PORT, config.UI_PORT],
    [8000, 8001, 8002, 3000],
  );
  assertEquals(config.FRONTEND_URL, "http://localhost:3000");
  assertEquals(config.API_KEY, undefined);
  assertEquals(config.LOG_LEVEL, "info");
});

Deno.test("[config] a present key picks its provider; a named provider needs its key", () => {
  assertEquals(parseConfig({ OPENAI_API_KEY: "sk-x" }).LLM_PROVIDER, "openai");
  assertEquals(parseConfig({ GROQ_API_KEY: "gsk-x" }).LLM_PROVIDER, "groq");
  assertEquals(
    parseConfig({ OPENAI_BASE_URL: "http://localhost:11434/v1" }).LLM_PROVIDER,
    "openai_compatible",
  );
  assertEquals(
    parseConfig({ LLM_PROVIDER: "OFFLINE", OPENAI_API_KEY: "sk" }).LLM_PROVIDER,
    "offline",
  );
  const error = assertThrows(() => parseConfig({ LLM_PROVIDER: "groq" }), ConfigError);
  assertStringIncludes(error.message, "GROQ_API_KEY");
  assertThrows(() => parseConfig({ LLM_PROVIDER: "openai" }), ConfigError, "OPENAI_API_KEY");
});

Deno.test("[config] a bad value names the variable and what it expected", () => {
  const error = assertThrows(
    () =>
      parseConfig({ ORCHESTRATOR_PORT: "eighty", LLM_PROVIDER: "skynet", FRONTEND_URL: "nope" }),
    ConfigError,
  );
  assertStringIncludes(error.message, "ORCHESTRATOR_PORT: ");
  assertStringIncludes(error.message, '(got "eighty")');
  assertStringIncludes(error.message, "LLM_PROVIDER");
  assertStringIncludes(error.message, "openai");
  assertStringIncludes(error.message, "FRONTEND_URL");
  assertThrows(() => parseConfig({ LOG_LEVEL: "loud" }), ConfigError, "LOG_LEVEL");
  assertThrows(() => parseConfig({ ORCHESTRATOR_PORT: "70000" }), ConfigError, "ORCHESTRATOR_PORT");
});

Deno.test("[config] .env is read, and real environment variables win over it", async () => {
  const dir = await Deno.makeTempDir();
  const envFile = `${dir}/.env`;
  await Deno.writeTextFile(
    envFile,
    "# comment\nDATABASE_URL=sqlite:///./from_file.db\nAPI_KEY='secret from file'\nUI_PORT=3100\n",
  );
  const config = loadConfig({ envFile, env: { UI_PORT: "3200" } });
  assertEquals(config.DATABASE_URL, "sqlite:///./from_file.db");
  assertEquals(config.API_KEY, "secret from file");
  assertEquals(config.UI_PORT, 3200);
  assertEquals(loadConfig({ envFile: `${dir}/missing.env`, env: {} }).UI_PORT, 3000);
  await Deno.remove(dir, { recursive: true });
});
