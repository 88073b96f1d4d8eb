/** One task in a conversation: its status, its plan steps, then its answer. */
import type { ComponentChildren } from "preact";
import type { IslandTask } from "../types.ts";
import { StatusBadge } from "./status_badge.tsx";
import { StepList } from "./step_list.tsx";
import { TaskAnswer } from "./task_answer.tsx";

export function TaskCard({ task, children }: { task: IslandTask; children?: ComponentChildren }) {
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
      </header>
      <StepList steps={task.steps} />
      <TaskAnswer task={task} />
      {children}
    </article>
  );
}
