import { ChatOpenAI } from "@langchain/openai";
import { tool } from "@langchain/core/tools";
import { z } from "zod";
import { assert, assertEquals, assertRejects, assertStringIncludes } from "../assert.ts";
import { messageText, startFakeOpenAI } from "./fake_openai.ts";

const opts = { sanitizeResources: false, sanitizeOps: false };

function client(url: string, model = "gpt-4o-mini") {
  return new ChatOpenAI({
    model,
    apiKey: "sk-test",
    configuration: { baseURL: url },
    maxRetries: 0,
  });
}

Deno.test("[fake_openai] plain invoke: the real client gets the scripted text", opts, async () => {
  const fake = startFakeOpenAI({ reply: ["Hello from the fake."] });
  try {
    const answer = await client(fake.url).invoke("Say hello");
    assertEquals(answer.content, "Hello from the fake.");
    assertEquals(fake.chatRequests.length, 1);
    assertEquals(fake.chatRequests[0].model, "gpt-4o-mini");
    assertEquals(messageText(fake.chatRequests[0].messages.at(-1)!.content), "Say hello");
    assertEquals(fake.requests[0].headers["authorization"], "Bearer sk-test");
  } finally {
    await fake.close();
  }
});

Deno.test(
  "[fake_openai] streaming: chunks arrive in order and join to the reply",
  opts,
  async () => {
    const fake = startFakeOpenAI({ reply: ["one two three four"] });
    try {
      const pieces: string[] = [];
      for await (const chunk of await client(fake.url).stream("count")) {
        pieces.push(String(chunk.content));
      }
      assert(pieces.filter(Boolean).length >= 4, `expected several chunks, got ${pieces}`);
      assertEquals(pieces.join(""), "one two three four");
      assertEquals(fake.chatRequests[0].stream, true);
    } finally {
      await fake.close();
    }
  },
);

Deno.test(
  "[fake_openai] the raw stream is OpenAI's chunk format ending in [DONE]",
  opts,
  async () => {
    const fake = startFakeOpenAI({ reply: ["hi there"] });
    try {
      const response = await fetch(`${fake.url}/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          model: "m",
          stream: true,
          stream_options: { include_usage: true },
          messages: [{ role: "user", content: "x" }],
        }),
      });
      assertStringIncludes(response.headers.get("content-type") ?? "", "text/event-stream");
      const lines = (await response.text()).split("\n").filter((l) => l.startsWith("data: "));
      assertEquals(lines.at(-1), "data: [DONE]");
      const chunks = lines.slice(0, -1).map((l) => JSON.parse(l.slice(6)));
      assertEquals(chunks[0].object, "chat.completion.chunk");
      assertEquals(chunks[0].choices[0].delta.role, "assistant");
      assertEquals(chunks.at(-2).choices[0].finish_reason, "stop");
      assertEquals(chunks.at(-1).choices, []);
      assertEquals(chunks.at(-1).usage.completion_tokens, 2);
    } finally {
      await fake.close();
    }
  },
);

const Joke = z.object({ setup: z.string(), punchline: z.string(), rating: z.number() });

Deno.test(
  "[fake_openai] withStructuredOutput (json_schema) parses the scripted JSON",
  opts,
  async () => {
    const fake = startFakeOpenAI({
      reply: [{ json: { setup: "Why?", punchline: "Because.", rating: 3 } }],
    });
    try {
      const joke = await client(fake.url).withStructuredOutput(Joke, { name: "joke" }).invoke(
        "a joke",
      );
      assertEquals(joke, { setup: "Why?", punchline: "Because.", rating: 3 });
      const sent = fake.chatRequests[0].response_format;
      assertEquals(sent?.type, "json_schema");
      assertEquals(sent?.json_schema?.name, "joke");
    } finally {
      await fake.close();
    }
  },
);

Deno.test(
  "[fake_openai] withStructuredOutput (function calling) gets a forced tool call",
  opts,
  async () => {
    const fake = startFakeOpenAI({
      reply: [{ json: { setup: "S", punchline: "P", rating: 5 } }],
    });
    try {
      const joke = await client(fake.url)
        .withStructuredOutput(Joke, { name: "joke", method: "functionCalling" })
        .invoke("a joke");
      assertEquals(joke, { setup: "S", punchline: "P", rating: 5 });
      assertEquals(fake.chatRequests[0].tools?.[0].function.name, "joke");
    } finally {
      await fake.close();
    }
  },
);

Deno.test("[fake_openai] scripted tool calls reach bindTools, streamed or not", opts, async () => {
  const weather = tool(() => "sunny", {
    name: "weather",
    description: "weather for a city",
    schema: z.object({ city: z.string() }),
  });
  const call = { tool_calls: [{ name: "weather", arguments: { city: "Oslo" } }] };
  const fake = startFakeOpenAI({ reply: [call, call] });
  try {
    const model = client(fake.url).bindTools([weather]);
    const answer = await model.invoke("weather in Oslo?");
    assertEquals(answer.tool_calls?.map((c) => [c.name, c.args]), [["weather", { city: "Oslo" }]]);
    let streamed = undefined as Awaited<ReturnType<typeof model.invoke>> | undefined;
    for await (const chunk of await model.stream("again")) {
      streamed = streamed ? streamed.concat(chunk) : chunk;
    }
    assertEquals(streamed?.tool_calls?.map((c) => [c.name, c.args]), [["weather", {
      city: "Oslo",
    }]]);
    assertEquals(fake.chatRequests[0].tools?.[0].function.name, "weather");
  } finally {
    await fake.close();
  }
});

Deno.test(
  "[fake_openai] a reply function sees the request; errors and an empty queue fail",
  opts,
  async () => {
    const fake = startFakeOpenAI({
      reply: (request, index) =>
        index === 0 ? `echo: ${messageText(request.messages.at(-1)!.content)}` : { status: 503 },
    });
    try {
      assertEquals((await client(fake.url).invoke("ping")).content, "echo: ping");
      await assertRejects(() => client(fake.url).invoke("again"));
    } finally {
      await fake.close();
    }
    const empty = startFakeOpenAI({ reply: [] });
    try {
      await assertRejects(() => client(empty.url).invoke("nothing scripted"));
    } finally {
      await empty.close();
    }
  },
);

Deno.test("[fake_openai] GET /v1/models lists the configured ids", opts, async () => {
  const fake = startFakeOpenAI({ models: ["a", "b"] });
  try {
    const body = await (await fetch(`${fake.url}/models`)).json();
    assertEquals(body.object, "list");
    assertEquals(body.data.map((m: { id: string }) => m.id), ["a", "b"]);
  } finally {
    await fake.close();
  }
});
