/**
 * What the A2A-endpoint and MCP-server tests share: an orchestrator behind an admin key, with a
 * registered REST agent that hangs on any step mentioning "forever" (to cancel it mid-call),
 * and a way to make users' keys.
 */
import { type RunningOrchestrator, startOrchestrator } from "./orchestrator.ts";
import { type ScriptedAgent, startScriptedAgent } from "./scripted_agent.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

export interface ReachStack {
  orch: RunningOrchestrator;
  agent: ScriptedAgent;
  admin(
    path: string,
    init?: RequestInit & { json?: unknown },
  ): Promise<{ status: number; body: Json; headers: Headers }>;
  keyFor(user: string): Promise<string>;
  /** Resolves once the agent has received a call for this instruction (after `before`). */
  agentCalled(instruction: string, before: number): Promise<void>;
  close(): Promise<void>;
}

export async function startReachStack(databaseUrl: string, adminKey: string): Promise<ReachStack> {
  const agent = startScriptedAgent({
    name: "Worker",
    capabilities: ["research", "summarization", "analysis"],
    behave: ({ instruction, input }) =>
      (instruction + input).includes("forever") ? { hang: true } : undefined,
  });
  // A step deadline bounds the clean-up should an aborted call still hang.
  const orch = await startOrchestrator(databaseUrl, {
    API_KEY: adminKey,
    STEP_TIMEOUT_MS: "5000",
  });
  const admin = (path: string, init: RequestInit & { json?: unknown } = {}) =>
    orch.api<Json>(path, { ...init, headers: { authorization: `Bearer ${adminKey}` } });
  await admin("/api/agents", {
    method: "POST",
    json: {
      name: "Worker",
      agent_type: "api",
      endpoint: agent.url,
      capabilities: agent.capabilities,
    },
  });
  return {
    orch,
    agent,
    admin,
    keyFor: async (user) =>
      (await admin("/api/keys", { method: "POST", json: { user_id: user } })).body.key as string,
    async agentCalled(instruction, before) {
      const deadline = Date.now() + 30_000;
      while ((agent.calls.get(instruction) ?? 0) <= before) {
        if (Date.now() > deadline) throw new Error(`the agent was not called for "${instruction}"`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    async close() {
      await orch.close();
      await agent.close();
    },
  };
}
