/**
 * Under the graph: each step's attempts in order — queued, running (on which agent), each
 * retry with its error and delay, a fallback, and how it ended — timed from the task's start.
 */
import type { AttemptEntry, StepHistory } from "../client/step_history.ts";
import type { StepView } from "../types.ts";

const LABELS: Record<AttemptEntry["kind"], string> = {
  queued: "queued",
  running: "running",
  retry: "retry",
  fallback: "fallback",
  done: "done",
  failed: "failed",
  skipped: "skipped",
  cancelled: "cancelled",
};

/** "+1.2 s" from the task's creation. */
function offset(at: string, from: string): string {
  const ms = new Date(at).getTime() - new Date(from).getTime();
  return Number.isFinite(ms) ? `+${(Math.max(0, ms) / 1000).toFixed(1)} s` : "";
}

export function attemptText(entry: AttemptEntry): string {
  const parts: string[] = [LABELS[entry.kind]];
  if (entry.attempt) parts[0] += ` #${entry.attempt}`;
  if (entry.agent) parts.push(`on ${entry.agent}`);
  if (entry.delay_ms !== undefined) parts.push(`after ${entry.delay_ms} ms`);
  if (entry.error) parts.push(`— ${entry.error}`);
  return parts.join(" ");
}

export function AttemptTimeline(
  { steps, history, since }: { steps: StepView[]; history: StepHistory; since: string },
) {
  if (steps.length === 0) return null;
  return (
    <section class="attempt-timeline" aria-label="Attempts of each step">
      <h3>Attempts</h3>
      <ol class="attempt-rows">
        {steps.map((step) => (
          <li key={step.step_number} class="attempt-row">
            <span class="attempt-step">Step {step.step_number}</span>
            <ol class="attempts" data-attempts-step={step.step_number}>
              {(history[step.step_number] ?? []).map((entry, i) => (
                <li key={i} class={`attempt attempt-${entry.kind}`} data-kind={entry.kind}>
                  <span class="attempt-kind">{attemptText(entry)}</span>{" "}
                  <span class="muted">{offset(entry.at, since)}</span>
                </li>
              ))}
              {!history[step.step_number] && <li class="muted">{step.status}</li>}
            </ol>
          </li>
        ))}
      </ol>
    </section>
  );
}
