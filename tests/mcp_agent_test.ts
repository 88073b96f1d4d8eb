/**
 * MCP tools as agents, against `@modelcontextprotocol/server-everything` (a real third-party MCP
 * server started by the test): registration lists its tools as capabilities, a health check
 * pings it, a plan step calls a tool with the plan's arguments and its output reaches the next
 * step; a step without the tool's required arguments fails saying which are missing.
 */
import { assert, assertEquals, assertStringIncludes } from "@app/lib/assert";
import { dbTest } from "@app/db/testing";
import { startFakeOpenAI } from "@app/lib/testing/fake_openai";
import { registerScriptedAgent, startScriptedAgent } from "./helpers/scripted_agent.ts";
import { startOrchestrator } from "./helpers/orchestrator.ts";
import { startEverythingServer } from "./helpers/everything_server.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

dbTest(
  "[mcp agents] a plan step calls a real MCP server's tool; its output feeds the next step",
  async ({ url }) => {
    const everything = await startEverythingServer();
    const plans: unknown[] = [
      {
        steps: [
          { description: "Add the numbers", capability: "get-sum", input: { a: 2, b: 3 } },
          { description: "Summarize the sum", capability: "summarization", dependencies: [1] },
        ],
      },
      { steps: [{ description: "Add nothing", capability: "get-sum" }] },
      {
        steps: [{
          description: "Weather in Chicago",
          capability: "get-structured-content",
          input: { location: "Chicago" },
        }],
      },
      {
        steps: [{
          description: "Weather somewhere",
          capability: "get-structured-content",
          input: { location: 5 },
        }],
      },
    ];
    const llm = startFakeOpenAI({ reply: (_, i) => ({ json: plans[i] }) });
    const summarizer = startScriptedAgent({ name: "Summarizer", capabilities: ["summarization"] });
    const orch = await startOrchestrator(url, {
      LLM_PROVIDER: "openai_compatible",
      OPENAI_BASE_URL: llm.url,
      LLM_MAX_RETRIES: "0",
      STEP_MAX_RETRIES: "0",
    });
    try {
      const registered = await orch.api<Json>("/api/agents", {
        method: "POST",
        json: { name: "Everything", agent_type: "mcp", endpoint: everything.url },
      });
      assertEquals(registered.status, 201, JSON.stringify(registered.body));
      assertEquals(registered.body.agent_type, "mcp");
      assert(registered.body.capabilities.includes("get-sum"), "each tool is a capability");
      assert(registered.body.capabilities.includes("echo"));
      const sum = registered.body.config.tools.find((t: Json) => t.name === "get-sum");
      assertEquals(sum.input_schema.required.sort(), ["a", "b"], "its input schema is kept");

      const health = await orch.api<Json>(`/api/agents/${registered.body.id}/health`);
      assertEquals(health.body.healthy, true, JSON.stringify(health.body));

      await registerScriptedAgent(orch, summarizer);
      const created = await orch.api<Json>("/api/tasks", {
        method: "POST",
        json: { description: "Add 2 and 3, then summarize" },
      });
      assertEquals(created.status, 201, JSON.stringify(created.body));
      assertEquals(created.body.plan.steps[0].input, { a: 2, b: 3 });
      assertEquals(created.body.plan.steps[0].agent_name, "Everything");
      const done = await orch.waitForTask(created.body.task_id) as Json;
      assertEquals(done.status, "completed", JSON.stringify(done));
      const [first, second] = done.steps;
      assertStringIncludes(first.output_data.summary, "5");
      assertEquals(first.output_data.tool, "get-sum");
      assertStringIncludes(
        JSON.stringify(second.input_data.dependencies["1"]),
        first.output_data.summary,
        "the tool's output is the next step's input",
      );
      assert(
        summarizer.inputs.some((input) => input.includes(first.output_data.summary)),
        `the next agent was given the tool's output: ${JSON.stringify(summarizer.inputs)}`,
      );

      // The planner's prompt showed the tool's input schema, so it can fill the arguments.
      const prompt = JSON.stringify(llm.chatRequests[0].messages);
      assertStringIncludes(prompt, "get-sum");
      assertStringIncludes(prompt, "input");

      const missing = await orch.api<Json>("/api/tasks", {
        method: "POST",
        json: { description: "Add nothing" },
      });
      const failed = await orch.waitForTask(missing.body.task_id) as Json;
      assertEquals(failed.status, "failed");
      assertStringIncludes(failed.steps[0].error, "missing arguments: a, b");

      // Structured content is part of the output.
      const weather = await orch.api<Json>("/api/tasks", {
        method: "POST",
        json: { description: "Weather in Chicago" },
      });
      const sunny = await orch.waitForTask(weather.body.task_id) as Json;
      assertEquals(sunny.status, "completed", JSON.stringify(sunny));
      assertEquals(
        Object.keys(sunny.steps[0].output_data.structured_content).sort(),
        ["conditions", "humidity", "temperature"],
      );
      // An argument of the wrong type fails the step, naming it.
      const wrong = await orch.api<Json>("/api/tasks", {
        method: "POST",
        json: { description: "Weather somewhere" },
      });
      const refused = await orch.waitForTask(wrong.body.task_id) as Json;
      assertEquals(refused.status, "failed");
      assertStringIncludes(refused.steps[0].error, "argument location should be string");
    } finally {
      await orch.close();
      await summarizer.close();
      await llm.close();
      await everything.close();
    }
  },
);

dbTest(
  "[mcp agents] an MCP endpoint the outbound guard refuses is refused at registration",
  async ({ url }) => {
    const orch = await startOrchestrator(url, { OUTBOUND_ALLOW_PRIVATE: "false" });
    try {
      const refused = await orch.api<Json>("/api/agents", {
        method: "POST",
        json: { name: "Meta", agent_type: "mcp", endpoint: "http://169.254.169.254/mcp" },
      });
      assertEquals(refused.status, 422, JSON.stringify(refused.body));
      assertEquals(refused.body.error.details[0].field, "endpoint");
      const unreachable = await orch.api<Json>("/api/agents", {
        method: "POST",
        json: { name: "Gone", agent_type: "mcp", endpoint: "http://unresolvable.invalid/mcp" },
      });
      assertEquals(unreachable.status, 422, JSON.stringify(unreachable.body));
    } finally {
      await orch.close();
    }
  },
);
