/** A running step's output so far, as its agent streams it: its latest status and its text. */
import type { PartialOutput as Partial } from "../client/step_progress.ts";

export function PartialOutput({ step, partial }: { step: number; partial?: Partial }) {
  if (!partial) return null;
  return (
    <div class="step-progress" data-progress-step={step} aria-live="polite">
      {partial.status && <p class="muted step-progress-status">{partial.status}</p>}
      {partial.text && <pre class="step-progress-text">{partial.text}</pre>}
    </div>
  );
}
