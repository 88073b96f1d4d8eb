/**
 * One step of a task's plan as a card on the task page: what it does, on which agent, how long
 * it has run (live), its partial output while it runs, its error, input and output. `children`
 * is where more goes (an action on the step, another feature's panel).
 */
import type { ComponentChildren } from "preact";
import type { PartialOutput as Partial } from "../client/step_progress.ts";
import { formatDuration } from "../format.ts";
import type { StepView } from "../types.ts";
import { Elapsed } from "./elapsed.tsx";
import { JsonBlock } from "./json_block.tsx";
import { PartialOutput } from "./partial_output.tsx";
import { StatusBadge } from "./status_badge.tsx";
import { Time } from "./time.tsx";

export function StepCard(
  { step, partial, facts, children }: {
    step: StepView;
    partial?: Partial;
    /** More facts (`<dt>`/`<dd>` pairs) after the duration: tokens and cost, say. */
    facts?: ComponentChildren;
    children?: ComponentChildren;
  },
) {
  return (
    <li class={`timeline-step step-${step.status}`} data-step={step.step_number}>
      <div class="timeline-head">
        <h3>Step {step.step_number}: {step.description}</h3>
        <StatusBadge status={step.status} />
      </div>
      <dl class="facts">
        <dt>Agent</dt>
        <dd>
          {step.agent_name ?? "—"} <span class="muted">({step.capability})</span>
        </dd>
        <dt>Duration</dt>
        <dd>
          {step.status === "running"
            ? <Elapsed since={step.started_at} />
            : formatDuration(step.started_at, step.completed_at)}
        </dd>
        {facts}
        <dt>Started</dt>
        <dd>
          <Time iso={step.started_at} />
        </dd>
        {step.dependencies.length > 0 && (
          <>
            <dt>After</dt>
            <dd>steps {step.dependencies.join(", ")}</dd>
          </>
        )}
        {step.attempts > 1 && (
          <>
            <dt>Attempts</dt>
            <dd>{step.attempts}</dd>
          </>
        )}
      </dl>
      {step.status === "running" && <PartialOutput step={step.step_number} partial={partial} />}
      {step.error && <p class="notice notice-error">{step.error}</p>}
      <JsonBlock label="Input" value={step.input_data} />
      <JsonBlock label="Output" value={step.output_data} />
      {children}
    </li>
  );
}
