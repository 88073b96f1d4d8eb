/**
 * Tokens and cost, end to end: the orchestrator's planner and both built-in agents talk to one
 * fake OpenAI-compatible server through the real client; what it reported must add up exactly
 * to each step's, the task's, the session's and each agent's usage. A budget stops a task
 * part-way: the step past it runs no further step, and the task fails keeping what it spent.
 */
import { assert, assertAlmostEquals, assertEquals, assertStringIncludes } from "@app/lib/assert";
import { cost, replies, startStack, tokens } from "./helpers/llm_stack.ts";
import { dbTest } from "@app/db/testing";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

dbTest("[usage] every total is the exact sum of what the LLM server reported", async ({ url }) => {
  const llm = replies();
  const stack = await startStack(url, llm);
  try {
    const { created, task } = await stack.run({
      description: "Research the widget market and summarize it",
    });
    assertEquals(created.plan.planner, "llm");
    assertEquals(task.status, "completed", JSON.stringify(task.error));

    // Every completion's usage reached the client (streamed ones asked for it).
    assert(llm.reported.every((r) => r.sent));
    const [planning, ...steps] = llm.reported;
    assert(steps.length >= 2, `the agents used the model: ${steps.length} calls`);
    // The planner's request came first; then the research step's, then the summary's.
    const [research, summary] = task.steps as Json[];
    assertEquals(research.agent_id, stack.a2aId);
    assertEquals(summary.agent_id, stack.apiId);
    const researchCalls = steps.slice(0, steps.length - 1);
    const summaryCalls = steps.slice(-1);

    assertEquals(task.usage.planning, {
      ...tokens([planning]),
      model: "priced-model",
      cost_usd: task.usage.planning.cost_usd,
    });
    assertAlmostEquals(task.usage.planning.cost_usd, cost([planning]), 1e-12);
    for (const [step, calls] of [[research, researchCalls], [summary, summaryCalls]] as const) {
      const { cost_usd, ...rest } = step.usage;
      assertEquals(rest, { ...tokens(calls), model: "priced-model" }, `step ${step.step_number}`);
      assertAlmostEquals(cost_usd, cost(calls), 1e-12);
    }
    const { cost_usd: taskCost, planning: _, ...taskTokens } = task.usage;
    assertEquals(taskTokens, tokens(llm.reported));
    assertAlmostEquals(taskCost, cost(llm.reported), 1e-12);

    // A second task in the same session: the session's total is both tasks'.
    const before = llm.reported.length;
    const { task: second } = await stack.run({
      description: "Research gadgets and summarize it",
      session_id: task.session_id,
    });
    assert(llm.reported.length > before);
    const { body: session } = await stack.orch.api<Json>(`/api/sessions/${task.session_id}`);
    const { cost_usd: sessionCost, ...sessionTokens } = session.usage;
    assertEquals(sessionTokens, tokens(llm.reported));
    assertAlmostEquals(sessionCost, cost(llm.reported), 1e-12);

    // Per agent: the steps each ran, in both tasks (planning is nobody's).
    const { body: stats } = await stack.orch.api<Json>("/api/agents/stats");
    const byAgent = new Map((stats.usage_by_agent as Json[]).map((a) => [a.agent_id, a]));
    for (const agentId of [stack.a2aId, stack.apiId]) {
      const ran = [...task.steps, ...second.steps].filter((s: Json) => s.agent_id === agentId);
      const agent = byAgent.get(agentId)!;
      assertEquals(
        agent.total_tokens,
        ran.reduce((n: number, s: Json) => n + s.usage.total_tokens, 0),
        `agent ${agentId}`,
      );
      assert(agent.total_tokens > 0);
    }
    const planningCalls = [llm.reported[0], llm.reported[before]];
    const agentCalls = llm.reported.filter((r) => !planningCalls.includes(r));
    assertEquals(
      byAgent.get(stack.a2aId)!.total_tokens + byAgent.get(stack.apiId)!.total_tokens,
      tokens(agentCalls).total_tokens,
    );
    assertAlmostEquals(
      byAgent.get(stack.a2aId)!.cost_usd + byAgent.get(stack.apiId)!.cost_usd,
      cost(agentCalls),
      1e-12,
    );
    assertEquals(byAgent.get(stack.a2aId)!.agent_name, research.agent_name);
  } finally {
    await stack.close();
    await llm.close();
  }
});

dbTest("[usage] a budget stops a task part-way, keeping what it spent", async ({ url }) => {
  const llm = replies();
  const stack = await startStack(url, llm);
  try {
    const created = await stack.orch.api<Json>("/api/tasks", {
      method: "POST",
      // The planner's call alone fits; the research step's calls take it over.
      json: {
        description: "Research the widget market and summarize it",
        budget: { max_tokens: 150 },
      },
    });
    assertEquals(created.status, 201, JSON.stringify(created.body));
    const task = await stack.orch.waitForTask(created.body.task_id, 30_000) as Json;
    assertEquals(task.status, "failed");
    assertStringIncludes(task.error, "budget exceeded");
    const { body: view } = await stack.orch.api<Json>(`/api/tasks/${created.body.task_id}`);
    assertEquals(view.steps.map((s: Json) => s.status), ["completed", "skipped"]);
    assertEquals(view.budget, { max_tokens: 150 });
    // The summary step never ran: no request after the research step's.
    const researchCalls = llm.reported.slice(1);
    assertEquals(view.steps[1].usage, null);
    assertEquals(view.usage.total_tokens, tokens(llm.reported).total_tokens);
    assert(tokens(llm.reported.slice(0, 1)).total_tokens <= 150, "planning fit the budget");
    assert(researchCalls.length > 0);

    const events = await stack.orch.api<string>(
      `/api/tasks/${created.body.task_id}/events?after=0`,
      { signal: AbortSignal.timeout(10_000) },
    );
    const types = [...events.body.matchAll(/^event: (.+)$/gm)].map((m) => m[1]);
    assertEquals(types.slice(-2), ["budget.exceeded", "task.failed"]);
    const exceeded = JSON.parse(
      /event: budget\.exceeded\ndata: (.+)/.exec(events.body)![1],
    );
    assertEquals(exceeded.step_number, 1);
    assertEquals(exceeded.spent.total_tokens, view.usage.total_tokens);

    // A budget with nothing in it is refused, naming the field.
    const bad = await stack.orch.api<Json>("/api/tasks", {
      method: "POST",
      json: { description: "Anything", budget: { max_tokens: -3 } },
    });
    assertEquals(bad.status, 422);
    assertStringIncludes(JSON.stringify(bad.body), "budget");
  } finally {
    await stack.close();
    await llm.close();
  }
});
