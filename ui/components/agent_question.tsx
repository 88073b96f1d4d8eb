/**
 * An agent's question in the conversation, with a box for the answer: sent to the orchestrator,
 * which passes it to the same agent's task; the card then follows the step live.
 */
import { useState } from "preact/hooks";
import type { JSX } from "preact";
import { api } from "../client/api.ts";
import type { IslandTask, StepView, TaskView } from "../types.ts";

function QuestionBox(
  { task, step, onTask }: {
    task: IslandTask;
    step: StepView;
    onTask: (task: IslandTask) => void;
  },
) {
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // The task takes answers once every step that could run has run (then it waits).
  const open = task.status === "input_required";

  async function answer(event: JSX.TargetedEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!text.trim() || busy) return;
    setBusy(true);
    setError(null);
    try {
      onTask(
        await api<TaskView>(`/api/tasks/${task.id}/input`, {
          method: "POST",
          json: { text: text.trim(), step_number: step.step_number },
        }),
      );
      setText("");
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  const id = `answer-${task.id}-${step.step_number}`;
  return (
    <form
      class="agent-question"
      data-step={step.step_number}
      method="post"
      action={`/tasks/${task.id}/input`}
      onSubmit={answer}
    >
      <input type="hidden" name="step_number" value={step.step_number} />
      <p class="bubble bubble-agent">
        <span class="bubble-role">{step.agent_name ?? "agent"} asks</span>
        {step.question}
      </p>
      <label for={id}>Your answer to step {step.step_number}</label>
      <textarea
        id={id}
        name="text"
        rows={2}
        required
        maxLength={20000}
        value={text}
        onInput={(e) => setText(e.currentTarget.value)}
      />
      <div class="form-row">
        <button type="submit" disabled={busy || !open}>{busy ? "Sending…" : "Answer"}</button>
        {!open && <span class="muted hint">Other steps are still running.</span>}
      </div>
      {error && <p class="notice notice-error" role="alert">{error}</p>}
    </form>
  );
}

export function AgentQuestions(
  { task, onTask }: { task: IslandTask; onTask: (task: IslandTask) => void },
) {
  const waiting = task.steps.filter((s) => s.status === "input_required" && s.question);
  if (!waiting.length) return null;
  return (
    <>
      {waiting.map((step) => (
        <QuestionBox key={step.step_number} task={task} step={step} onTask={onTask} />
      ))}
    </>
  );
}
