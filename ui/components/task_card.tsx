/** One task in a conversation: its status, its plan steps, then its answer. */
import type { ComponentChildren } from "preact";
import type { IslandTask } from "../types.ts";
import type { StepProgress } from "../client/step_progress.ts";
import { StatusBadge } from "./status_badge.tsx";
import { StepList } from "./step_list.tsx";
import { TaskAnswer } from "./task_answer.tsx";
import { UsageSummary } from "./usage_summary.tsx";

export function TaskCard(
  { task, progress, children }: {
    task: IslandTask;
    /** Running steps' partial output, when the card is live. */
    progress?: StepProgress;
    children?: ComponentChildren;
  },
) {
  return (
    <article
      class="card task-card"
      id={`task-${task.id}`}
      data-task-id={task.id}
      data-status={task.status}
      aria-labelledby={`task-${task.id}-title`}
    >
      <header class="card-header">
        <h3 id={`task-${task.id}-title`}>
          <a href={`/tasks/${task.id}`}>Task #{task.id}</a>
        </h3>
        <StatusBadge status={task.status} />
        <UsageSummary usage={task.usage} />
      </header>
      <StepList steps={task.steps} progress={progress} />
      <TaskAnswer task={task} />
      {children}
    </article>
  );
}
