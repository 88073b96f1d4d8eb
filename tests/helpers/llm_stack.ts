/**
 * The orchestrator, the built-in A2A and API agents (in this process, real HTTP on port 0) and
 * one fake OpenAI-compatible server that all three use through the real client: the planner
 * gets a two-step plan (research on the A2A agent, then a summary on the API agent), every
 * other request prose. Its models are priced by LLM_PRICES.
 */
import { assertEquals } from "@app/lib/assert";
import { createChatModel, parseConfig, silentLogger } from "@app/lib";
import { type FakeOpenAI, type ReportedUsage, startFakeOpenAI } from "@app/lib/testing/fake_openai";
import { startAgent as startA2aAgent } from "../../agents/a2a/testdata/start_agent.ts";
import { startAgent as startApiAgent } from "../../agents/api/testdata/server.ts";
import { startOrchestrator } from "./orchestrator.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

export const PRICE = { input: 3, output: 7 };
export const LLM_ENV = {
  LLM_PROVIDER: "openai_compatible",
  LLM_MODEL: "priced-model",
  LLM_MAX_RETRIES: "0",
  LLM_PRICES: JSON.stringify({ "priced-model": PRICE }),
};

export const PLAN = {
  steps: [
    { description: "Research the widget market", capability: "research", dependencies: [] },
    {
      description: "Summarize the research in two sentences",
      capability: "summarization",
      dependencies: [1],
    },
  ],
};

/** The plan for the planner's structured request; prose for every other. */
export function replies() {
  return startFakeOpenAI({
    reply: (body) =>
      body.tools?.length || body.response_format
        ? { json: PLAN }
        : "Widgets sell well. Acme leads the market with a third of sales. Growth is steady.",
  });
}

export const tokens = (r: ReportedUsage[]) => ({
  input_tokens: r.reduce((n, u) => n + u.prompt_tokens, 0),
  output_tokens: r.reduce((n, u) => n + u.completion_tokens, 0),
  total_tokens: r.reduce((n, u) => n + u.total_tokens, 0),
});
export const cost = (r: ReportedUsage[]) =>
  r.reduce((n, u) => n + (u.prompt_tokens * PRICE.input + u.completion_tokens * PRICE.output), 0) /
  1_000_000;

export async function startStack(url: string, llm: FakeOpenAI, env: Record<string, string> = {}) {
  const model = () =>
    createChatModel(parseConfig({ ...LLM_ENV, OPENAI_BASE_URL: llm.url }), silentLogger);
  const a2a = await startA2aAgent({ llm: model() });
  const api = startApiAgent({ llm: model() });
  const orch = await startOrchestrator(url, { ...LLM_ENV, OPENAI_BASE_URL: llm.url, ...env });
  const research = await orch.api<Json>("/api/agents", { method: "POST", json: { url: a2a.url } });
  const summary = await orch.api<Json>("/api/agents", {
    method: "POST",
    json: {
      name: "API agent",
      agent_type: "api",
      endpoint: api.url,
      capabilities: ["summarization", "analysis", "extraction"],
    },
  });
  assertEquals([research.status, summary.status], [201, 201]);
  return {
    orch,
    a2aUrl: a2a.url,
    apiUrl: api.url,
    a2aId: research.body.id as number,
    apiId: summary.body.id as number,
    /** Submits a task and waits for its end: the created answer and the task's view. */
    async run(json: Json) {
      const created = await orch.api<Json>("/api/tasks", { method: "POST", json });
      assertEquals(created.status, 201, JSON.stringify(created.body));
      await orch.waitForTask(created.body.task_id, 30_000);
      const view = await orch.api<Json>(`/api/tasks/${created.body.task_id}`);
      return { created: created.body, task: view.body };
    },
    async close() {
      await orch.close();
      await a2a.close();
      await api.close();
    },
  };
}
