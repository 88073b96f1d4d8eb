import { z } from "zod";
import { assertEquals, assertThrows } from "./assert.ts";
import { parseConfig } from "./config.ts";
import { createChatModel } from "./llm.ts";
import { silentLogger } from "./logger.ts";
import { costOf, parsePrices, priceOf } from "./prices.ts";
import { startFakeOpenAI } from "./testing/fake_openai.ts";
import { meterUsage, parseWireUsage, toWireUsage } from "./usage.ts";

const opts = { sanitizeResources: false, sanitizeOps: false };

Deno.test(
  "[usage] a meter gathers exactly what the server reported: plain, streamed, structured",
  opts,
  async () => {
    const llm = startFakeOpenAI({
      reply: ["one two three", "streamed answer here", { json: { answer: "yes" } }, "fine"],
    });
    try {
      const model = createChatModel(
        parseConfig({ OPENAI_BASE_URL: llm.url, LLM_MODEL: "gpt-4o-mini", LLM_MAX_RETRIES: "0" }),
        silentLogger,
      )!;
      const { usage } = await meterUsage(async () => {
        await model.invoke("say three words");
        for await (const _ of await model.stream("stream something")) { /* drain */ }
        // A meter inside another counts for both.
        const inner = await meterUsage(() =>
          model.withStructuredOutput(z.object({ answer: z.string() })).invoke("yes or no?")
        );
        assertEquals(inner.usage.length, 1);
      });
      assertEquals(usage.length, 3);
      assertEquals(llm.reported.every((r) => r.sent), true, "the stream asked for its usage");
      assertEquals(
        usage,
        llm.reported.slice(0, 3).map((r) => ({
          model: r.model,
          input_tokens: r.prompt_tokens,
          output_tokens: r.completion_tokens,
        })),
      );
      // Outside a meter nothing is gathered and nothing fails.
      await model.invoke("no meter");
    } finally {
      await llm.close();
    }
  },
);

Deno.test("[usage] the wire form round-trips, by model; unreadable usage is none", () => {
  const records = [
    { model: "a", input_tokens: 3, output_tokens: 4 },
    { model: "b", input_tokens: 1, output_tokens: 1 },
    { model: "a", input_tokens: 2, output_tokens: 0 },
  ];
  const wire = toWireUsage(records)!;
  assertEquals(wire.total_tokens, 11);
  assertEquals(wire.model, "a,b");
  assertEquals(parseWireUsage(JSON.parse(JSON.stringify(wire))), [
    { model: "a", input_tokens: 5, output_tokens: 4 },
    { model: "b", input_tokens: 1, output_tokens: 1 },
  ]);
  assertEquals(toWireUsage([]), undefined);
  assertEquals(parseWireUsage({ input_tokens: 7, output_tokens: 2, model: "m" }), [
    { model: "m", input_tokens: 7, output_tokens: 2 },
  ]);
  assertEquals(parseWireUsage({ input_tokens: -1, output_tokens: "x" }), []);
  assertEquals(parseWireUsage("lots"), []);
  assertEquals(parseWireUsage(undefined), []);
});

Deno.test("[prices] defaults, LLM_PRICES overrides, dated model names, unknown models", () => {
  const prices = parsePrices(
    '{"my-model": {"input": 1, "output": 2}, "gpt-4o-mini": {"input": 1, "output": 1}}',
  );
  assertEquals(
    costOf(prices, { model: "my-model", input_tokens: 1_000_000, output_tokens: 500_000 }),
    2,
  );
  assertEquals(priceOf(prices, "gpt-4o-mini"), { input: 1, output: 1 });
  assertEquals(priceOf(parsePrices(undefined), "gpt-4o-mini-2024-07-18"), {
    input: 0.15,
    output: 0.6,
  });
  assertEquals(costOf(prices, { model: "mystery", input_tokens: 10, output_tokens: 10 }), null);
  assertThrows(() => parsePrices("{nope"), Error, "LLM_PRICES is not JSON");
  assertThrows(
    () => parsePrices('{"m": {"input": -1, "output": 0}}'),
    Error,
    "LLM_PRICES: m.input",
  );
});
