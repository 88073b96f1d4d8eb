/**
 * A step done by an MCP tool: the step's capability names the tool, the plan step's `input`
 * gives its arguments (checked against the tool's schema first: a clear failed step naming
 * what is missing), and the tool's text and structured content are the step's output.
 */
import type { JsonObject } from "@app/db";
import { AgentCallError, asAgentCallError } from "../agent_errors.ts";
import { callMcpTool } from "./tool_client.ts";
import { toolArgumentProblems } from "./tool_arguments.ts";

export async function callMcpAgent(
  agent: { name: string; endpoint: string },
  step: { capability: string; arguments?: JsonObject },
  fetchImpl: typeof fetch,
  signal: AbortSignal,
  onProgress?: (progress: { status?: string }) => void,
): Promise<JsonObject> {
  const what = `agent ${agent.name}`;
  const args = step.arguments ?? {};
  let result;
  try {
    result = await callMcpTool(agent.endpoint, fetchImpl, {
      capability: step.capability,
      arguments: args,
      signal,
      check(tool) {
        if (!tool) {
          throw new AgentCallError(
            `${what} has no tool "${step.capability}"`,
            "task_failed",
            false,
          );
        }
        const problems = toolArgumentProblems(tool.input_schema, args);
        if (problems.length) {
          throw new AgentCallError(
            `${what}: tool ${tool.name}: ${problems.join("; ")} (the plan step's input gives ` +
              `the tool's arguments)`,
            "task_failed",
            false,
          );
        }
      },
    }, onProgress && ((status) => onProgress({ status })));
  } catch (error) {
    throw asAgentCallError(error, what);
  }
  if (result.isError) {
    throw new AgentCallError(
      `${what}: tool ${result.tool} failed: ${result.text.slice(0, 500)}`,
      "task_failed",
      false,
    );
  }
  return {
    summary: result.text,
    insights: [],
    tool: result.tool,
    arguments: args,
    content: result.content,
    ...(result.structured && { structured_content: result.structured }),
  };
}
