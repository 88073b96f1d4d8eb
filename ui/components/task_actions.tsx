/**
 * What can be done with a task from its card: cancel it while it runs, retry it from the
 * failed step once it failed or was cancelled, edit and resend its request once it finished.
 * Each is a real form (works without JavaScript); `onDone` gets the task after, in an island.
 */
import type { ComponentChildren, JSX } from "preact";
import { useState } from "preact/hooks";
import { api } from "../client/api.ts";
import { isFinished, type IslandTask, type TaskView } from "../types.ts";

export function failedStep(task: IslandTask): number | undefined {
  return task.steps.find((step) => step.status === "failed")?.step_number ??
    task.steps.find((step) => step.status !== "completed")?.step_number;
}

export function TaskActions(
  { task, onChange, onEdit, children }: {
    task: IslandTask;
    onChange?: (task: IslandTask) => void;
    /** Edit and resend: given, a finished task offers it (the request box takes the text). */
    onEdit?: (description: string) => void;
    /** More actions (another feature's: approve a plan, answer a question...). */
    children?: ComponentChildren;
  },
) {
  const [error, setError] = useState<string | null>(null);
  const act = (path: string) => async (event: JSX.TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(null);
    try {
      onChange?.(await api<TaskView>(`/api/tasks/${task.id}/${path}`, { method: "POST" }));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const retryFrom = failedStep(task);
  const canRetry = task.status === "failed" || task.status === "cancelled";
  return (
    <div class="actions task-actions">
      {!isFinished(task.status) && (
        <form method="post" action={`/tasks/${task.id}/cancel`} onSubmit={act("cancel")}>
          <button type="submit" class="danger small" aria-label={`Cancel task #${task.id}`}>
            Cancel
          </button>
        </form>
      )}
      {canRetry && (
        <form method="post" action={`/tasks/${task.id}/retry`} onSubmit={act("retry")}>
          <button type="submit" class="small">
            {retryFrom ? `Retry from step ${retryFrom}` : "Retry"}
          </button>
        </form>
      )}
      {isFinished(task.status) && onEdit && (
        <button
          type="button"
          class="secondary small"
          onClick={() => onEdit(task.description)}
        >
          Edit and resend
        </button>
      )}
      {children}
      {error && <p class="notice notice-error" role="alert">{error}</p>}
    </div>
  );
}
