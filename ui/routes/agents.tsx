/**
 * `/agents`: every agent with health and numbers, the capabilities with no active agent;
 * check now, register (A2A by URL, or REST), remove.
 */
import type { Context, Hono } from "hono";
import { readForm } from "./errors.tsx";
import { Layout } from "../components/layout.tsx";
import { Notice } from "../components/notice.tsx";
import { Island } from "../island.tsx";
import AgentsPanel, { splitCapabilities } from "../islands/agents_panel.tsx";
import { CAPABILITIES } from "@app/lib/capabilities";
import { OrchestratorError } from "../orchestrator_client.ts";
import type { OrchestratorClient } from "../orchestrator_client.ts";
import { renderPage } from "../render.tsx";

/** Back to /agents with what happened, so a no-JS form round trip still tells the outcome. */
async function redirectWith(c: Context, work: () => Promise<string>) {
  try {
    return c.redirect(`/agents?notice=${encodeURIComponent(await work())}`, 303);
  } catch (error) {
    if (!(error instanceof OrchestratorError) || error.status >= 500) throw error;
    return c.redirect(`/agents?error=${encodeURIComponent(error.message)}`, 303);
  }
}

export function mountAgentRoutes(app: Hono, client: OrchestratorClient): void {
  app.get("/agents", async (c) => {
    const [agents, usage] = await Promise.all([client.listAgents(), client.agentCalls()]);
    return renderPage({
      title: "Agents",
      body: (
        <Layout current="agents">
          <h1>Agents</h1>
          <Notice notice={c.req.query("notice")} error={c.req.query("error")} />
          <Island
            name="agents_panel"
            component={AgentsPanel}
            props={{ agents, usage, known: [...CAPABILITIES] }}
          />
        </Layout>
      ),
    });
  });

  app.post("/agents", (c) =>
    redirectWith(c, async () => {
      const form = await readForm(c);
      const agent = form.kind === "rest"
        ? await client.registerRestAgent({
          name: String(form.name ?? "").trim(),
          endpoint: String(form.endpoint ?? "").trim(),
          capabilities: splitCapabilities(String(form.capabilities ?? "")),
        })
        : await client.registerAgent(String(form.url ?? "").trim());
      return `Registered ${agent.name}.`;
    }));

  app.post("/agents/:id{[0-9]+}/health", (c) =>
    redirectWith(c, async () => {
      const health = await client.checkAgent(Number(c.req.param("id")));
      return `Agent ${health.agent_id} is ${health.status}.`;
    }));

  app.post("/agents/:id{[0-9]+}/delete", (c) =>
    redirectWith(c, async () => {
      await client.deleteAgent(Number(c.req.param("id")));
      return "Agent removed.";
    }));
}
