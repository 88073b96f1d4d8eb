/** The step chosen in the graph: its agent, status, input, output and every attempt. */
import type { ComponentChildren } from "preact";
import type { StepHistory } from "../client/step_history.ts";
import type { StepView } from "../types.ts";
import { attemptText } from "./attempt_timeline.tsx";
import { JsonBlock } from "./json_block.tsx";
import { StatusBadge } from "./status_badge.tsx";

export function StepDetail(
  { step, history, children }: {
    step: StepView | undefined;
    history: StepHistory;
    /** More about the step (another feature's panel: a question it asks, its cost...). */
    children?: ComponentChildren;
  },
) {
  if (!step) {
    return <p class="muted step-detail-empty">Choose a step in the graph to see its details.</p>;
  }
  const attempts = history[step.step_number] ?? [];
  return (
    <section
      class="card step-detail"
      data-detail-step={step.step_number}
      aria-labelledby="step-detail-title"
    >
      <div class="card-header">
        <h3 id="step-detail-title">Step {step.step_number}: {step.description}</h3>
        <StatusBadge status={step.status} />
      </div>
      <dl class="facts">
        <dt>Agent</dt>
        <dd class="step-detail-agent">
          {step.agent_name ?? "—"} <span class="muted">({step.capability})</span>
        </dd>
        <dt>Attempts</dt>
        <dd>
          {attempts.length === 0
            ? <span class="muted">none recorded</span>
            : (
              <ol class="step-detail-attempts">
                {attempts.map((entry, i) => (
                  <li key={i} data-kind={entry.kind}>{attemptText(entry)}</li>
                ))}
              </ol>
            )}
        </dd>
      </dl>
      {step.error && <p class="notice notice-error">{step.error}</p>}
      <JsonBlock label="Input" value={step.input_data} open />
      <JsonBlock label="Output" value={step.output_data} open />
      {children}
    </section>
  );
}
