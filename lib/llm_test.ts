import { ChatOpenAI } from "@langchain/openai";
import { assert, assertEquals, assertRejects, assertStringIncludes } from "./assert.ts";
import { parseConfig } from "./config.ts";
import { chatEndpoint, createChatModel } from "./llm.ts";
import { createLogger, silentLogger } from "./logger.ts";
import { startFakeOpenAI } from "./testing/fake_openai.ts";

const opts = { sanitizeResources: false, sanitizeOps: false };

Deno.test("[llm] offline gives no model and says so once", () => {
  const lines: string[] = [];
  const logger = createLogger("test", "debug", {}, (line) => lines.push(line));
  assertEquals(createChatModel(parseConfig({}), logger), null);
  assertEquals(lines.length, 1);
  assertStringIncludes(lines[0], "offline");
});

Deno.test("[llm] each provider gets its key, base URL and default model; LLM_MODEL wins", () => {
  assertEquals(chatEndpoint(parseConfig({ OPENAI_API_KEY: "sk-o" })), {
    provider: "openai",
    model: "gpt-4o-mini",
    apiKey: "sk-o",
    baseURL: undefined,
  });
  assertEquals(chatEndpoint(parseConfig({ GROQ_API_KEY: "gsk-g" })), {
    provider: "groq",
    model: "llama-3.1-8b-instant",
    apiKey: "gsk-g",
    baseURL: "https://api.groq.com/openai/v1",
  });
  assertEquals(
    chatEndpoint(parseConfig({ OPENAI_BASE_URL: "http://localhost:11434/v1", LLM_MODEL: "qwen2" })),
    {
      provider: "openai_compatible",
      model: "qwen2",
      apiKey: "not-needed",
      baseURL: "http://localhost:11434/v1",
    },
  );
  const model = createChatModel(
    parseConfig({ OPENAI_API_KEY: "sk-o", LLM_TIMEOUT_MS: "1234", LLM_MAX_RETRIES: "5" }),
    silentLogger,
  );
  assert(model instanceof ChatOpenAI);
  assertEquals([model.model, model.timeout], ["gpt-4o-mini", 1234]);
});

Deno.test("[llm] groq really sends to GROQ_BASE_URL with the groq key", opts, async () => {
  const fake = startFakeOpenAI({ reply: ["groq says hi"] });
  try {
    const model = createChatModel(
      parseConfig({
        LLM_PROVIDER: "groq",
        GROQ_API_KEY: "gsk-secret",
        OPENAI_API_KEY: "sk-not-this-one",
        GROQ_BASE_URL: fake.url,
        LLM_MAX_RETRIES: "0",
      }),
      silentLogger,
    );
    assert(model);
    assertEquals((await model.invoke("hello")).content, "groq says hi");
    assertEquals(fake.requests.length, 1);
    assertEquals(fake.requests[0].headers["authorization"], "Bearer gsk-secret");
    assertEquals(fake.requests[0].body.model, "llama-3.1-8b-instant");
  } finally {
    await fake.close();
  }
});

Deno.test(
  "[llm] openai_compatible without a key sends a placeholder; openai uses OPENAI_BASE_URL",
  opts,
  async () => {
    const fake = startFakeOpenAI({ reply: ["local", "proxied"] });
    try {
      const local = createChatModel(
        parseConfig({ OPENAI_BASE_URL: fake.url, LLM_MODEL: "llama3.2", LLM_MAX_RETRIES: "0" }),
        silentLogger,
      );
      assertEquals((await local!.invoke("a")).content, "local");
      assertEquals(fake.requests[0].headers["authorization"], "Bearer not-needed");
      assertEquals(fake.requests[0].body.model, "llama3.2");

      const openai = createChatModel(
        parseConfig({
          LLM_PROVIDER: "openai",
          OPENAI_API_KEY: "sk-real",
          OPENAI_BASE_URL: fake.url,
        }),
        silentLogger,
      );
      assertEquals((await openai!.invoke("b")).content, "proxied");
      assertEquals(fake.requests[1].headers["authorization"], "Bearer sk-real");
    } finally {
      await fake.close();
    }
  },
);

Deno.test("[llm] retries come from config: 0 fails at once, 1 retries a 500", opts, async () => {
  const fake = startFakeOpenAI({ reply: [{ status: 500 }, { status: 500 }, "second time lucky"] });
  try {
    const none = createChatModel(
      parseConfig({ OPENAI_BASE_URL: fake.url, LLM_MAX_RETRIES: "0" }),
      silentLogger,
    );
    await assertRejects(() => none!.invoke("x"));
    assertEquals(fake.requests.length, 1);
    const once = createChatModel(
      parseConfig({ OPENAI_BASE_URL: fake.url, LLM_MAX_RETRIES: "1" }),
      silentLogger,
    );
    assertEquals((await once!.invoke("x")).content, "second time lucky");
    assertEquals(fake.requests.length, 3);
  } finally {
    await fake.close();
  }
});
