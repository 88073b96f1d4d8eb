/** The task page's island: the plan as a live timeline, and cancel while it runs. */
import { useState } from "preact/hooks";
import type { JSX } from "preact";
import { JsonBlock } from "../components/json_block.tsx";
import { PartialOutput } from "../components/partial_output.tsx";
import { StatusBadge } from "../components/status_badge.tsx";
import { TaskAnswer } from "../components/task_answer.tsx";
import { HumanTurn } from "../components/human_turn.tsx";
import { Time } from "../components/time.tsx";
import { TraceLink } from "../components/trace_link.tsx";
import { UsageSummary } from "../components/usage_summary.tsx";
import { api } from "../client/api.ts";
import { useLiveTask } from "../client/use_live_task.ts";
import { formatDuration } from "../format.ts";
import { isFinished, type IslandTask, type TaskView } from "../types.ts";

export default function TaskTimeline({ task: initial }: { task: IslandTask }) {
  const [task, setTask, progress] = useLiveTask(initial);
  const [error, setError] = useState<string | null>(null);

  async function cancel(event: JSX.TargetedEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    try {
      setTask(await api<TaskView>(`/api/tasks/${task.id}/cancel`, { method: "POST" }));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }

  return (
    <section class="task-detail" data-task-id={task.id} data-status={task.status}>
      <div class="task-status-row">
        <p>
          Status: <StatusBadge status={task.status} /> <UsageSummary usage={task.usage} />{" "}
          <TraceLink task={task} />
        </p>
        {!isFinished(task.status) && (
          <form method="post" action={`/tasks/${task.id}/cancel`} onSubmit={cancel}>
            <button type="submit" class="danger">Cancel task</button>
          </form>
        )}
      </div>
      {error && <p class="notice notice-error" role="alert">{error}</p>}
      <HumanTurn task={task} onTask={setTask} />
      <TaskAnswer task={task} />
      <h2>Plan</h2>
      {task.steps.length === 0 && <p class="muted">No plan steps.</p>}
      <ol class="timeline">
        {task.steps.map((step) => (
          <li
            key={step.step_number}
            class={`timeline-step step-${step.status}`}
            data-step={step.step_number}
          >
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
              <dd>{formatDuration(step.started_at, step.completed_at)}</dd>
              {step.usage && (
                <>
                  <dt>Tokens</dt>
                  <dd>
                    <UsageSummary usage={step.usage} />
                  </dd>
                </>
              )}
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
            {step.status === "running" && (
              <PartialOutput step={step.step_number} partial={progress[step.step_number]} />
            )}
            {step.error && <p class="notice notice-error">{step.error}</p>}
            <JsonBlock label="Input" value={step.input_data} />
            <JsonBlock label="Output" value={step.output_data} />
          </li>
        ))}
      </ol>
    </section>
  );
}
