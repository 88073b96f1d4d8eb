import { createChatModel, parseConfig, silentLogger } from "@app/lib";
import { startFakeOpenAI } from "@app/lib/testing/fake_openai";
import { assert, assertEquals, assertStringIncludes } from "@app/lib/assert";
import { startAgent } from "./testdata/start_agent.ts";

const opts = { sanitizeResources: false, sanitizeOps: false };

const post = (url: string, body: unknown) =>
  fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

Deno.test("[a2a] REST: /health and /capabilities", opts, async () => {
  const agent = await startAgent();
  try {
    const health = await (await fetch(`${agent.url}/health`)).json();
    assertEquals([health.status, health.offline, health.llm_provider], ["ok", true, "offline"]);
    const caps = await (await fetch(`${agent.url}/capabilities`)).json();
    assertEquals(caps.capabilities, ["research", "analysis"]);
    assertEquals(caps.skills.map((s: { id: string }) => s.id), ["research", "analysis"]);
    assertEquals(caps.streaming, true);
  } finally {
    await agent.close();
  }
});

Deno.test(
  "[a2a] REST: POST /process returns the report; a session keeps the conversation",
  opts,
  async () => {
    const agent = await startAgent();
    try {
      const response = await post(`${agent.url}/process`, {
        description: "Research honey production in New Zealand.",
        context: {
          notes: "New Zealand produced 23,000 tons of honey in 2022. Manuka honey dominates.",
        },
        session_id: "sess_1",
      });
      assertEquals(response.status, 200);
      const body = await response.json();
      assertEquals([body.status, body.session_id, body.offline], ["completed", "sess_1", true]);
      for (const key of ["summary", "insights", "findings", "open_questions", "keywords"]) {
        assert(key in body, `missing ${key}`);
      }
      assertStringIncludes(body.findings.join(" "), "23,000 tons");
      const again = await (await post(`${agent.url}/process`, {
        description: "Research honey production in New Zealand.",
        context: {
          notes: "New Zealand produced 23,000 tons of honey in 2022. Manuka honey dominates.",
        },
      })).json();
      assertEquals(again.summary, body.summary);
      const followUp = await (await post(`${agent.url}/process`, {
        description: "And what about exports?",
        session_id: "sess_1",
      })).json();
      assertStringIncludes(JSON.stringify(followUp), "honey");
    } finally {
      await agent.close();
    }
  },
);

Deno.test("[a2a] REST: /process with an LLM returns the model's summary", opts, async () => {
  const fake = startFakeOpenAI({
    reply: ["Q1?", "fact one", "INSIGHT: insight one", "Model summary of the task."],
  });
  const llm = createChatModel(
    parseConfig({ OPENAI_BASE_URL: fake.url, LLM_MAX_RETRIES: "0" }),
    silentLogger,
  );
  const agent = await startAgent({ llm, env: { OPENAI_BASE_URL: fake.url } });
  try {
    const body = await (await post(`${agent.url}/process`, { description: "Anything." })).json();
    assertEquals([body.summary, body.insights, body.offline], [
      "Model summary of the task.",
      ["insight one"],
      false,
    ]);
    assertEquals(fake.chatRequests.length, 4);
    // What the four calls cost, as the server reported it.
    const reported = fake.reported.reduce((n, r) => n + r.total_tokens, 0);
    assertEquals([body.usage.total_tokens, body.usage.model], [reported, "llama3.1"]);
    const health = await (await fetch(`${agent.url}/health`)).json();
    assertEquals([health.offline, health.llm_provider], [false, "openai_compatible"]);
  } finally {
    await agent.close();
    await fake.close();
  }
});

Deno.test(
  "[a2a] REST: bad input answers 422 naming the field; oversized bodies 413",
  opts,
  async () => {
    const agent = await startAgent({ env: { MAX_BODY_BYTES: "2000" } });
    try {
      const missing = await post(`${agent.url}/process`, { context: {} });
      assertEquals(missing.status, 422);
      const body = await missing.json();
      assertEquals(body.error.code, "validation_failed");
      assertEquals(body.error.details[0].field, "description");
      const big = await post(`${agent.url}/process`, { description: "x".repeat(5_000) });
      assertEquals(big.status, 413);
      await big.body?.cancel();
    } finally {
      await agent.close();
    }
  },
);

Deno.test(
  "[a2a] REST: /docs renders and /openapi.json lists /process and the A2A routes",
  opts,
  async () => {
    const agent = await startAgent();
    try {
      const docs = await fetch(`${agent.url}/docs`);
      assertEquals(docs.status, 200);
      assertStringIncludes(docs.headers.get("content-type") ?? "", "text/html");
      assertStringIncludes(await docs.text(), "swagger");
      const spec = await (await fetch(`${agent.url}/openapi.json`)).json();
      for (
        const path of ["/process", "/capabilities", "/health", "/", "/.well-known/agent-card.json"]
      ) {
        assert(path in spec.paths, `${path} missing from the spec`);
      }
      assert("post" in spec.paths["/process"]);
    } finally {
      await agent.close();
    }
  },
);
