/**
 * The agents page's island: check an agent now, remove one, register an A2A agent by URL, all
 * without a reload. Each action is a real form, so it works without JavaScript too.
 */
import { useState } from "preact/hooks";
import type { JSX } from "preact";
import { AgentItem } from "../components/agent_item.tsx";
import { api } from "../client/api.ts";
import type { Agent, AgentHealth } from "../types.ts";

export default function AgentsPanel({ agents: initial }: { agents: Agent[] }) {
  const [agents, setAgents] = useState(initial);
  const [url, setUrl] = useState("");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; error?: boolean } | null>(null);

  async function act(work: () => Promise<string>) {
    setBusy(true);
    setMessage(null);
    try {
      const text = await work();
      setAgents(await api<Agent[]>("/api/agents"));
      setMessage({ text });
    } catch (e) {
      setMessage({ text: e instanceof Error ? e.message : String(e), error: true });
    } finally {
      setBusy(false);
    }
  }

  const register = (event: JSX.TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    act(async () => {
      const agent = await api<Agent>("/api/agents", { method: "POST", json: { url: url.trim() } });
      setUrl("");
      return `Registered ${agent.name}.`;
    });
  };
  const check = (agent: Agent) => (event: JSX.TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    act(async () => {
      const health = await api<AgentHealth>(`/api/agents/${agent.id}/health`, { method: "POST" });
      return `${agent.name} is ${health.status}${
        health.last_error ? `: ${health.last_error}` : ""
      }.`;
    });
  };
  const remove = (agent: Agent) => (event: JSX.TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!confirm(`Remove ${agent.name}?`)) return;
    act(async () => {
      await api(`/api/agents/${agent.id}`, { method: "DELETE" });
      return `Removed ${agent.name}.`;
    });
  };

  return (
    <>
      <div aria-live="polite">
        {message && (
          <p
            class={message.error ? "notice notice-error" : "notice"}
            role={message.error ? "alert" : "status"}
          >
            {message.text}
          </p>
        )}
      </div>
      <form class="card register-form" method="post" action="/agents" onSubmit={register}>
        <h2>Register an A2A agent</h2>
        <label for="agent-url">Agent URL</label>
        <div class="form-row">
          <input
            id="agent-url"
            name="url"
            type="url"
            required
            placeholder="http://localhost:8001"
            value={url}
            onInput={(e) => setUrl(e.currentTarget.value)}
          />
          <button type="submit" disabled={busy}>Register</button>
        </div>
        <p class="muted hint">Its agent card supplies the name, description and capabilities.</p>
      </form>
      <h2>Registered agents ({agents.length})</h2>
      {agents.length === 0 && <p class="muted">No agents registered.</p>}
      <ul class="agent-list">
        {agents.map((agent) => (
          <AgentItem key={agent.id} agent={agent}>
            <div class="actions">
              <form method="post" action={`/agents/${agent.id}/health`} onSubmit={check(agent)}>
                <button type="submit" disabled={busy} aria-label={`Check ${agent.name} now`}>
                  Check now
                </button>
              </form>
              <form method="post" action={`/agents/${agent.id}/delete`} onSubmit={remove(agent)}>
                <button
                  type="submit"
                  class="danger"
                  disabled={busy}
                  aria-label={`Remove ${agent.name}`}
                >
                  Remove
                </button>
              </form>
            </div>
          </AgentItem>
        ))}
      </ul>
    </>
  );
}
