/**
 * A task that follows the orchestrator's event stream: every event means "look again", and the
 * task is re-read whole, so a missed or unknown event type can never leave the view stale.
 * `step.progress` is the exception: it carries a running step's partial output, kept beside
 * the task (no re-read: it comes often and changes nothing the task shows).
 */
import { useEffect, useState } from "preact/hooks";
import {
  isFinished,
  type IslandTask,
  TASK_EVENT_TYPES,
  type TaskEventMessage,
  type TaskView,
} from "../types.ts";
import { api } from "./api.ts";
import { applyProgress, type StepProgress } from "./step_progress.ts";

export function useLiveTask(
  initial: IslandTask,
): [IslandTask, (task: IslandTask) => void, StepProgress] {
  const [task, setTask] = useState(initial);
  const [progress, setProgress] = useState<StepProgress>({});
  const id = initial.id;
  const live = !isFinished(task.status);

  useEffect(() => {
    if (!live) return;
    const source = new EventSource(`/api/tasks/${id}/events`);
    let busy = false;
    let again = false;
    const refresh = async () => {
      if (busy) {
        again = true; // one more read after this one, never a pile of them
        return;
      }
      busy = true;
      try {
        const next = await api<TaskView>(`/api/tasks/${id}`);
        setTask(next);
        if (isFinished(next.status)) source.close();
      } catch {
        // the next event or reconnect tries again
      } finally {
        busy = false;
        if (again) {
          again = false;
          refresh();
        }
      }
    };
    const follow = (event: MessageEvent) => {
      try {
        const message = JSON.parse(event.data) as TaskEventMessage;
        setProgress((state) => applyProgress(state, message));
      } catch {
        // not an event of ours
      }
      if (event.type !== "step.progress") refresh();
    };
    for (const type of TASK_EVENT_TYPES) source.addEventListener(type, follow);
    // The server ends the stream when the task ends; read once more instead of reconnecting.
    source.addEventListener("error", refresh);
    return () => source.close();
  }, [id, live]);

  return [task, setTask, progress];
}
