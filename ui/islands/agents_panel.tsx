/**
 * The agents page's island: each agent's health and numbers (calls, success rate, p50/p95,
 * last error), the capabilities no active agent serves, check an agent now, remove one,
 * register an A2A agent by URL or a REST agent by name, endpoint and capabilities, all
 * without a reload. Each action is a real form, so it works without JavaScript too.
 */
import { useState } from "preact/hooks";
import type { JSX } from "preact";
import { AgentItem } from "../components/agent_item.tsx";
import { AgentCallFacts } from "../components/agent_call_facts.tsx";
import { CapabilityList } from "../components/capability_list.tsx";
import { api } from "../client/api.ts";
import { capabilityCoverage } from "../capability_coverage.ts";
import type { Agent, AgentCalls, AgentHealth } from "../types.ts";

/** The REST registration form's fields, as the API's agent body names them. */
const REST_FIELDS = [
  { name: "name", label: "Name", type: "text", maxLength: 200, placeholder: "" },
  {
    name: "endpoint",
    label: "Endpoint URL",
    type: "url",
    maxLength: 2000,
    placeholder: "http://localhost:8002",
  },
  {
    name: "capabilities",
    label: "Capabilities (comma-separated)",
    type: "text",
    maxLength: 2000,
    placeholder: "analysis, summarization",
  },
] as const;

export interface AgentsPanelProps {
  agents: Agent[];
  usage: AgentCalls[];
  /** The capabilities plans use, flagged when no active agent serves one. */
  known: string[];
}

export default function AgentsPanel(
  { agents: initial, usage: initialUsage = [], known = [] }: AgentsPanelProps,
) {
  const [agents, setAgents] = useState(initial);
  const [usage, setUsage] = useState(initialUsage);
  const [kind, setKind] = useState<"a2a" | "rest">("a2a");
  const [rest, setRest] = useState({ name: "", endpoint: "", capabilities: "" });
  const [url, setUrl] = useState("");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; error?: boolean } | null>(null);

  async function act(work: () => Promise<string>) {
    setBusy(true);
    setMessage(null);
    try {
      const text = await work();
      const [list, numbers] = await Promise.all([
        api<Agent[]>("/api/agents"),
        api<AgentCalls[]>("/api/agents/calls"),
      ]);
      setAgents(list);
      setUsage(numbers);
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
      const json = kind === "a2a" ? { url: url.trim() } : {
        name: rest.name.trim(),
        agent_type: "api",
        endpoint: rest.endpoint.trim(),
        capabilities: splitCapabilities(rest.capabilities),
      };
      const agent = await api<Agent>("/api/agents", { method: "POST", json });
      setUrl("");
      setRest({ name: "", endpoint: "", capabilities: "" });
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
      <CapabilityList coverage={capabilityCoverage(known, agents)} />
      <form class="card register-form" method="post" action="/agents" onSubmit={register}>
        <h2>Register an agent</h2>
        <fieldset class="kind-choice">
          <legend>Kind</legend>
          <label>
            <input
              type="radio"
              name="kind"
              value="a2a"
              checked={kind === "a2a"}
              onChange={() => setKind("a2a")}
            />{" "}
            A2A (by its agent card)
          </label>
          <label>
            <input
              type="radio"
              name="kind"
              value="rest"
              checked={kind === "rest"}
              onChange={() => setKind("rest")}
            />{" "}
            REST
          </label>
        </fieldset>
        {kind === "a2a"
          ? (
            <>
              <label for="agent-url">Agent URL</label>
              <input
                id="agent-url"
                name="url"
                type="url"
                required
                placeholder="http://localhost:8001"
                value={url}
                onInput={(e) => setUrl(e.currentTarget.value)}
              />
              <p class="muted hint">
                Its agent card supplies the name, description and capabilities.
              </p>
            </>
          )
          : (
            <div class="filter-grid">
              {REST_FIELDS.map((field) => (
                <div key={field.name}>
                  <label for={`rest-${field.name}`}>{field.label}</label>
                  <input
                    id={`rest-${field.name}`}
                    name={field.name}
                    type={field.type}
                    required
                    maxLength={field.maxLength}
                    placeholder={field.placeholder}
                    value={rest[field.name]}
                    onInput={(e) => setRest({ ...rest, [field.name]: e.currentTarget.value })}
                  />
                </div>
              ))}
            </div>
          )}
        <div class="form-row">
          <button type="submit" disabled={busy}>Register</button>
        </div>
      </form>
      <h2>Registered agents ({agents.length})</h2>
      {agents.length === 0 && <p class="muted">No agents registered.</p>}
      <ul class="agent-list">
        {agents.map((agent) => (
          <AgentItem key={agent.id} agent={agent}>
            <AgentCallFacts usage={usage.find((u) => u.agent_id === agent.id)} />
            <div class="actions">
              <form method="post" action={`/agents/${agent.id}/health`} onSubmit={check(agent)}>
                <button type="submit" disabled={busy} aria-label={`Check now: ${agent.name}`}>
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

/** "analysis, summarization" as a list (also new lines or semicolons between them). */
export function splitCapabilities(text: string): string[] {
  return [...new Set(text.split(/[,;\n]/).map((c) => c.trim()).filter(Boolean))];
}
