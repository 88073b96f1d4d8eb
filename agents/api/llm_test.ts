import { assert, assertEquals, assertStringIncludes } from "@app/lib/assert";
import { createChatModel, parseConfig, silentLogger } from "@app/lib";
import { messageText, startFakeOpenAI } from "@app/lib/testing/fake_openai";
import { SOLAR_TEXT } from "./testdata/texts.ts";
import { startAgent } from "./testdata/server.ts";

/** The real ChatOpenAI (through lib's createChatModel) pointed at the fake server. */
function startWithModel(url: string) {
  const env = {
    LLM_PROVIDER: "openai_compatible",
    OPENAI_BASE_URL: url,
    LLM_MODEL: "fake-summarizer",
    LLM_MAX_RETRIES: "0",
  };
  return startAgent({ env, llm: createChatModel(parseConfig(env), silentLogger) });
}

Deno.test("[api-agent] summarize with an LLM sends the text and returns the model's summary", async () => {
  const reply = "Solar power is spreading quickly because it is getting cheaper.";
  const fake = startFakeOpenAI({ reply: [reply] });
  const agent = startWithModel(fake.url);
  try {
    const { status, body } = await agent.post("/api/process", {
      operation: "summarize",
      input: SOLAR_TEXT,
      options: { max_sentences: 2, instruction: "Focus on costs" },
    });
    assertEquals(status, 200);
    assertEquals(body.summary, reply);
    assertEquals(body.offline, false);
    assertEquals(body.model, "fake-summarizer");
    assertEquals(body.result.method, "abstractive");
    assertEquals(body.result.abstract, reply);
    // The extractive sentences still come along.
    assertEquals(body.result.sentences, [
      "Solar power is growing fast.",
      "Solar panels are cheaper than ever, and solar power now beats coal.",
    ]);

    assertEquals(fake.chatRequests.length, 1);
    const request = fake.chatRequests[0];
    assertEquals(request.model, "fake-summarizer");
    const prompt = request.messages.map((m) => messageText(m.content)).join("\n");
    assertStringIncludes(prompt, SOLAR_TEXT);
    assertStringIncludes(prompt, "at most 2 sentences");
    assertStringIncludes(prompt, "Focus on costs");

    const health = await (await agent.get("/health")).json();
    assertEquals([health.llm_provider, health.offline], ["openai_compatible", false]);
  } finally {
    await agent.close();
    await fake.close();
  }
});

Deno.test("[api-agent] summarize falls back to extractive when the LLM fails", async () => {
  const fake = startFakeOpenAI({ reply: [{ status: 500, error: "model overloaded" }] });
  const agent = startWithModel(fake.url);
  try {
    const { status, body } = await agent.post("/process", {
      task_type: "summarize",
      data: SOLAR_TEXT,
    });
    assertEquals(status, 200);
    assertEquals(body.offline, true);
    assertEquals("model" in body, false);
    assertEquals(body.result.method, "extractive");
    assertStringIncludes(body.summary, "Solar power is growing fast.");
    assert(typeof body.result.llm_error === "string" && body.result.llm_error.length > 0);
    assert(body.insights.some((i: string) => i.startsWith("The LLM was unavailable")));
    assertEquals(fake.chatRequests.length, 1);
  } finally {
    await agent.close();
    await fake.close();
  }
});

Deno.test("[api-agent] analyze and extract never call the LLM", async () => {
  const fake = startFakeOpenAI({ reply: [] });
  const agent = startWithModel(fake.url);
  try {
    const analyzed = await agent.post("/api/analyze", { input: "", data: [1, 2, 3] });
    const extracted = await agent.post("/api/extract", { input: "Ada Lovelace wrote code." });
    assertEquals([analyzed.status, extracted.status], [200, 200]);
    assertEquals([analyzed.body.offline, extracted.body.offline], [true, true]);
    assertEquals(fake.chatRequests.length, 0);
  } finally {
    await agent.close();
    await fake.close();
  }
});
