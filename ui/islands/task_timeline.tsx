/**
 * The task page's island: the plan as a live graph with each step's attempts under it, the
 * chosen step's details, the answer, and the step cards; cancel while it runs, retry from the
 * failed step after. The state follows the task's events (no re-read per event).
 */
import { useState } from "preact/hooks";
import { AttemptTimeline } from "../components/attempt_timeline.tsx";
import { PlanGraph } from "../components/plan_graph.tsx";
import { StatusBadge } from "../components/status_badge.tsx";
import { StepCard } from "../components/step_card.tsx";
import { StepDetail } from "../components/step_detail.tsx";
import { TaskActions } from "../components/task_actions.tsx";
import { TaskAnswer } from "../components/task_answer.tsx";
import { Elapsed } from "../components/elapsed.tsx";
import { HumanTurn } from "../components/human_turn.tsx";
import { TraceLink } from "../components/trace_link.tsx";
import { UsageSummary } from "../components/usage_summary.tsx";
import { useLiveTask } from "../client/use_live_task.ts";
import { isFinished, type IslandTask } from "../types.ts";

export default function TaskTimeline({ task: initial }: { task: IslandTask }) {
  const [task, setTask, progress, history] = useLiveTask(initial, { history: true });
  const [selected, setSelected] = useState<number | null>(null);

  return (
    <section class="task-detail" data-task-id={task.id} data-status={task.status}>
      <div class="task-status-row">
        <p>
          Status: <StatusBadge status={task.status} /> <UsageSummary usage={task.usage} />{" "}
          {!isFinished(task.status) && <Elapsed since={task.created_at} />}{" "}
          <TraceLink task={task} />
        </p>
        <TaskActions task={task} onChange={setTask} />
      </div>
      <HumanTurn task={task} onTask={setTask} />
      <TaskAnswer task={task} />
      <h2>Plan</h2>
      {task.steps.length === 0 && <p class="muted">No plan steps.</p>}
      <div class="plan-view">
        <div class="plan-view-graph">
          <PlanGraph steps={task.steps} selected={selected} onSelect={setSelected} />
          <AttemptTimeline steps={task.steps} history={history} since={task.created_at} />
        </div>
        <StepDetail
          step={task.steps.find((step) => step.step_number === selected)}
          history={history}
        />
      </div>
      <h2>Steps</h2>
      <ol class="timeline">
        {task.steps.map((step) => (
          <StepCard
            key={step.step_number}
            step={step}
            partial={progress[step.step_number]}
            facts={step.usage && (
              <>
                <dt>Tokens</dt>
                <dd>
                  <UsageSummary usage={step.usage} />
                </dd>
              </>
            )}
          />
        ))}
      </ol>
    </section>
  );
}
