/**
 * A plan awaiting approval, in the conversation: approve it as proposed, edit it first (remove
 * or reorder steps, change a step's text or agent), or reject it with a reason. The card then
 * follows the task live; the orchestrator checks an edited plan and says what is wrong.
 */
import { useState } from "preact/hooks";
import { api } from "../client/api.ts";
import type { Agent, IslandTask, TaskView } from "../types.ts";

interface DraftStep {
  /** The step's number in the proposed plan: dependencies refer to it. */
  step_number: number;
  description: string;
  capability: string;
  agent_id: number | null;
  dependencies: number[];
}

export function PlanReview(
  { task, onTask }: { task: IslandTask; onTask: (task: IslandTask) => void },
) {
  const [draft, setDraft] = useState<DraftStep[] | null>(null);
  const [agents, setAgents] = useState<Agent[]>([]);
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function act(path: string, json?: unknown) {
    setBusy(true);
    setError(null);
    try {
      onTask(await api<TaskView>(`/api/tasks/${task.id}/${path}`, { method: "POST", json }));
      setDraft(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  async function edit() {
    setDraft(task.steps.map((s) => ({
      step_number: s.step_number,
      description: s.description,
      capability: s.capability,
      agent_id: s.agent_id,
      dependencies: [...s.dependencies],
    })));
    try {
      setAgents(await api<Agent[]>("/api/agents"));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }

  const change = (index: number, patch: Partial<DraftStep>) =>
    setDraft((steps) => steps!.map((s, i) => (i === index ? { ...s, ...patch } : s)));
  const move = (index: number, by: -1 | 1) =>
    setDraft((steps) => {
      const next = [...steps!];
      const [step] = next.splice(index, 1);
      next.splice(index + by, 0, step);
      return next;
    });
  // A removed step's dependents no longer wait for it.
  const remove = (index: number) =>
    setDraft((steps) => {
      const gone = steps![index].step_number;
      return steps!.filter((_, i) => i !== index).map((s) => ({
        ...s,
        dependencies: s.dependencies.filter((d) => d !== gone),
      }));
    });
  const chooseAgent = (index: number, agentId: number) => {
    const agent = agents.find((a) => a.id === agentId);
    const step = draft![index];
    const capability = agent && !agent.capabilities.includes(step.capability)
      ? agent.capabilities[0] ?? step.capability
      : step.capability;
    change(index, { agent_id: agentId, capability });
  };

  if (draft) {
    return (
      <section class="plan-review" aria-label={`Edit the plan of task ${task.id}`}>
        <h4>Edit the plan</h4>
        <ol class="plan-edit">
          {draft.map((step, i) => (
            <li key={step.step_number} class="plan-edit-step">
              <input
                aria-label={`Step ${i + 1} text`}
                value={step.description}
                maxLength={5000}
                onInput={(e) => change(i, { description: e.currentTarget.value })}
              />
              <select
                aria-label={`Step ${i + 1} agent`}
                value={step.agent_id ?? ""}
                onChange={(e) => chooseAgent(i, Number(e.currentTarget.value))}
              >
                {step.agent_id === null && <option value="">any able agent</option>}
                {agents.map((a) => (
                  <option key={a.id} value={a.id}>{a.name} ({a.capabilities.join(", ")})</option>
                ))}
              </select>
              <span class="plan-edit-actions">
                <button
                  type="button"
                  class="secondary"
                  aria-label={`Move step ${i + 1} up`}
                  disabled={i === 0}
                  onClick={() => move(i, -1)}
                >
                  ↑
                </button>
                <button
                  type="button"
                  class="secondary"
                  aria-label={`Move step ${i + 1} down`}
                  disabled={i === draft.length - 1}
                  onClick={() => move(i, 1)}
                >
                  ↓
                </button>
                <button
                  type="button"
                  class="danger"
                  aria-label={`Remove step ${i + 1}`}
                  disabled={draft.length === 1}
                  onClick={() => remove(i)}
                >
                  Remove
                </button>
              </span>
            </li>
          ))}
        </ol>
        <div class="form-row">
          <button
            type="button"
            disabled={busy}
            onClick={() =>
              act("approve", {
                plan: {
                  steps: draft.map((s) => ({
                    step_number: s.step_number,
                    description: s.description.trim(),
                    capability: s.capability,
                    agent_id: s.agent_id,
                    dependencies: s.dependencies,
                  })),
                },
              })}
          >
            Approve edited plan
          </button>
          <button type="button" class="secondary" onClick={() => setDraft(null)}>
            Discard edits
          </button>
        </div>
        {error && <p class="notice notice-error" role="alert">{error}</p>}
      </section>
    );
  }

  // Forms, so approving and rejecting work without JavaScript too (the UI server's routes).
  return (
    <section class="plan-review" aria-label={`Approve the plan of task ${task.id}`}>
      <p>
        <strong>This plan waits for your approval.</strong> No agent is called before.
      </p>
      <form
        class="form-row"
        method="post"
        action={`/tasks/${task.id}/approve`}
        onSubmit={(e) => {
          e.preventDefault();
          act("approve");
        }}
      >
        <button type="submit" disabled={busy}>Approve</button>
        <button type="button" class="secondary" disabled={busy} onClick={edit}>Edit</button>
      </form>
      <form
        class="form-row"
        method="post"
        action={`/tasks/${task.id}/reject`}
        onSubmit={(e) => {
          e.preventDefault();
          act("reject", { reason: reason.trim() || "rejected in the UI" });
        }}
      >
        <input
          name="reason"
          aria-label="Reason for rejecting"
          placeholder="Reason (optional)"
          maxLength={2000}
          value={reason}
          onInput={(e) => setReason(e.currentTarget.value)}
        />
        <button type="submit" class="danger" disabled={busy}>Reject</button>
      </form>
      {error && <p class="notice notice-error" role="alert">{error}</p>}
    </section>
  );
}
