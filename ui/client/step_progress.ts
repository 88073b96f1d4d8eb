/**
 * Each running step's partial output, built from the task's `step.progress` events: the
 * latest status its agent reported and the text it has streamed so far. A new attempt (a retry,
 * a fallback, a resumed run) starts afresh; a step that ended drops out (its output is in the
 * task).
 */
import type { TaskEventMessage } from "../types.ts";

export interface PartialOutput {
  status: string | null;
  text: string;
}

export type StepProgress = Readonly<Record<number, PartialOutput>>;

/** Text kept per step: the tail is what a reader watches. */
const MAX_TEXT = 4_000;

export function applyProgress(state: StepProgress, message: TaskEventMessage): StepProgress {
  switch (message.type) {
    case "step.progress": {
      const before = state[message.step_number];
      const text = ((before?.text ?? "") + message.text).slice(-MAX_TEXT);
      return {
        ...state,
        [message.step_number]: { status: message.status ?? before?.status ?? null, text },
      };
    }
    case "step.started":
    case "step.retry":
    case "step.fallback":
    case "step.completed":
    case "step.failed":
    case "step.cancelled":
    case "step.skipped": {
      if (!(message.step_number in state)) return state;
      const { [message.step_number]: _ended, ...rest } = state;
      return rest;
    }
    default:
      return state;
  }
}
