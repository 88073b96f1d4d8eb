/** A task's plan steps, compact: number, description, agent and live status. */
import type { StepView } from "../types.ts";
import type { StepProgress } from "../client/step_progress.ts";
import { Elapsed } from "./elapsed.tsx";
import { PartialOutput } from "./partial_output.tsx";
import { StatusBadge } from "./status_badge.tsx";
import { UsageSummary } from "./usage_summary.tsx";

export function StepList(
  { steps, progress = {} }: { steps: StepView[]; progress?: StepProgress },
) {
  if (steps.length === 0) return <p class="muted">No plan steps yet.</p>;
  return (
    <ol class="steps">
      {steps.map((step) => (
        <li key={step.step_number} class={`step step-${step.status}`} data-step={step.step_number}>
          <span class="step-text">
            {step.description} <span class="muted">· {step.agent_name ?? step.capability}</span>
          </span>
          <StatusBadge status={step.status} />
          <UsageSummary usage={step.usage} />
          {step.status === "running" && <Elapsed since={step.started_at} />}
          {step.status === "running" && (
            <PartialOutput step={step.step_number} partial={progress[step.step_number]} />
          )}
        </li>
      ))}
    </ol>
  );
}
