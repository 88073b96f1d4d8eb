import { ClientFactory } from "@a2a-js/sdk/client";
import { TaskState } from "@a2a-js/sdk";
import { createChatModel, parseConfig, silentLogger } from "@app/lib";
import { messageText, startFakeOpenAI } from "@app/lib/testing/fake_openai";
import { assert, assertEquals, assertStringIncludes } from "@app/lib/assert";
import { startAgent } from "./testdata/start_agent.ts";
import { asTask, reportOf, sendRequest, userMessage, waitFor } from "./testdata/a2a.ts";

const opts = { sanitizeResources: false, sanitizeOps: false };

function modelFor(url: string, retries = "0") {
  return createChatModel(
    parseConfig({ OPENAI_BASE_URL: url, LLM_MODEL: "fake-llama", LLM_MAX_RETRIES: retries }),
    silentLogger,
  );
}

const SCRIPT = [
  "1. How big is the market?\n2. Who are the leaders?",
  "- The market grew 12% in 2024.\n- Acme leads with a third of sales.",
  "INSIGHT: Growth is concentrated in one vendor.\nFINDING: The market grew 12% in 2024.\n" +
  "OPEN: Will regulation slow it down?",
  "The widget market is growing fast, led by Acme.",
];

Deno.test(
  "[a2a] with an LLM: one request per node, and the report carries the model's text",
  opts,
  async () => {
    const fake = startFakeOpenAI({ reply: [...SCRIPT] });
    const agent = await startAgent({ llm: modelFor(fake.url) });
    try {
      const client = await new ClientFactory().createFromUrl(agent.url);
      const task = asTask(
        await client.sendMessage(sendRequest(userMessage("Research the widget market.", {
          data: { context: { "1": { summary: "Widgets sell well in Europe." } } },
        }))),
      );
      assertEquals(task.status?.state, TaskState.TASK_STATE_COMPLETED);
      assertEquals(fake.chatRequests.length, 4);
      const prompts = fake.chatRequests.map((r) =>
        r.messages.map((m) => messageText(m.content)).join("\n")
      );
      assertStringIncludes(prompts[0], "Research the widget market.");
      assertStringIncludes(prompts[1], "How big is the market?");
      assertStringIncludes(prompts[1], "Widgets sell well in Europe.");
      assertStringIncludes(prompts[2], "Acme leads with a third of sales.");
      assertStringIncludes(prompts[3], "Growth is concentrated in one vendor.");
      assert(fake.chatRequests.every((r) => r.model === "fake-llama"));

      const report = reportOf(task);
      assertEquals(report.summary, "The widget market is growing fast, led by Acme.");
      assertEquals(report.insights, ["Growth is concentrated in one vendor."]);
      assertEquals(report.findings, ["The market grew 12% in 2024."]);
      assertEquals(report.openQuestions, ["Will regulation slow it down?"]);
      assertEquals([report.offline, report.model], [false, "fake-llama"]);
      assert((report.keywords as string[]).includes("widget"));
    } finally {
      await agent.close();
      await fake.close();
    }
  },
);

Deno.test(
  "[a2a] with an LLM: cancelling stops the graph before its next request",
  opts,
  async () => {
    const fake = startFakeOpenAI({ reply: SCRIPT.map((content) => ({ content, delayMs: 300 })) });
    const agent = await startAgent({ llm: modelFor(fake.url) });
    try {
      const client = await new ClientFactory().createFromUrl(agent.url);
      const task = asTask(await client.sendMessage(sendRequest(userMessage("Slow model."), true)));
      await waitFor(100);
      assertEquals(fake.chatRequests.length, 1);
      const cancelled = await client.cancelTask({ tenant: "", id: task.id, metadata: undefined });
      assertEquals(cancelled.status?.state, TaskState.TASK_STATE_CANCELED);
      await waitFor(1_000);
      assertEquals(fake.chatRequests.length, 1, "the graph went on calling the model");
    } finally {
      await agent.close();
      await fake.close();
    }
  },
);

Deno.test("[a2a] with an LLM: a failing model fails the task with its error", opts, async () => {
  const fake = startFakeOpenAI({ reply: [{ status: 401, error: "bad key" }] });
  const agent = await startAgent({ llm: modelFor(fake.url) });
  try {
    const client = await new ClientFactory().createFromUrl(agent.url);
    const task = asTask(await client.sendMessage(sendRequest(userMessage("Doomed."))));
    assertEquals(task.status?.state, TaskState.TASK_STATE_FAILED);
    const text = task.status?.message?.parts[0].content?.value;
    assertStringIncludes(String(text), "bad key");
  } finally {
    await agent.close();
    await fake.close();
  }
});

Deno.test(
  "[a2a] with an LLM: a stream carries the model's tokens as draft chunks before the report",
  opts,
  async () => {
    const fake = startFakeOpenAI({ reply: [...SCRIPT] });
    const agent = await startAgent({ llm: modelFor(fake.url) });
    try {
      const client = await new ClientFactory().createFromUrl(agent.url);
      const order: string[] = [];
      let draft = "";
      for await (
        const event of client.sendMessageStream(sendRequest(userMessage("Research widgets.")))
      ) {
        const payload = event.payload;
        if (payload?.$case === "artifactUpdate") {
          const artifact = payload.value.artifact!;
          order.push(artifact.name);
          if (artifact.name === "draft") {
            draft += artifact.parts.map((p) => String(p.content?.value ?? "")).join("");
          }
        }
        if (payload?.$case === "statusUpdate") {
          order.push(TaskState[payload.value.status!.state]);
        }
      }
      // The model was asked to stream, and every answer's text came through the draft.
      assert(fake.chatRequests.every((r) => r.stream === true));
      for (const reply of SCRIPT) assertStringIncludes(draft, reply);
      assert(order.indexOf("draft") < order.indexOf("report"), order.join(" "));
      assertEquals(order.at(-1), "TASK_STATE_COMPLETED");
    } finally {
      await agent.close();
      await fake.close();
    }
  },
);
