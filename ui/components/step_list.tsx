/** A task's plan steps, compact: number, description, agent and live status. */
import type { StepView } from "../types.ts";
import { StatusBadge } from "./status_badge.tsx";

export function StepList({ steps }: { steps: StepView[] }) {
  if (steps.length === 0) return <p class="muted">No plan steps yet.</p>;
  return (
    <ol class="steps">
      {steps.map((step) => (
        <li key={step.step_number} class={`step step-${step.status}`} data-step={step.step_number}>
          <span class="step-text">
            {step.description} <span class="muted">· {step.agent_name ?? step.capability}</span>
          </span>
          <StatusBadge status={step.status} />
        </li>
      ))}
    </ol>
  );
}
