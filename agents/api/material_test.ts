import { assertEquals, assertStringIncludes } from "@app/lib/assert";
import { startAgent } from "./testdata/server.ts";

Deno.test("[api] an instruction with nothing to work on is answered in one plain sentence", async () => {
  const agent = startAgent();
  try {
    const { status, body } = await agent.post("/api/process", {
      operation: "summarize",
      input: "",
      options: { instruction: "Summarize the benefits of AI" },
    });
    assertEquals(status, 200);
    assertEquals(body.no_material, true);
    assertEquals(body.insights, []);
    assertEquals(
      body.summary,
      'There is nothing to summarize in "Summarize the benefits of AI": no text or numbers ' +
        "came with it, and without a language model I cannot look the topic up.",
    );
    // Without an instruction either, the input is still refused, naming the field.
    const refused = await agent.post("/api/summarize", { input: "" });
    assertEquals(refused.status, 422);
    assertStringIncludes(JSON.stringify(refused.body), "input");
  } finally {
    await agent.close();
  }
});

Deno.test("[api] a follow-up with no input works on the history's last answer", async () => {
  const agent = startAgent();
  try {
    const { status, body } = await agent.post("/api/summarize", {
      input: "",
      options: { instruction: "Now summarize that in one sentence", max_sentences: 1 },
      history: [
        { role: "user", content: "Compare solar and wind" },
        { role: "assistant", content: "Solar output peaks at noon. Wind blows at night." },
        { role: "user", content: "Now summarize that in one sentence" },
      ],
    });
    assertEquals(status, 200);
    assertEquals(body.result.sentence_count, 2);
    assertEquals(body.result.selected_count, 1);
  } finally {
    await agent.close();
  }
});
