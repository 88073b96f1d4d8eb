/**
 * A task that follows the orchestrator's event stream: every event means "look again", and the
 * task is re-read whole, so a missed or unknown event type can never leave the view stale.
 */
import { useEffect, useState } from "preact/hooks";
import { isFinished, type IslandTask, TASK_EVENT_TYPES, type TaskView } from "../types.ts";
import { api } from "./api.ts";

export function useLiveTask(initial: IslandTask): [IslandTask, (task: IslandTask) => void] {
  const [task, setTask] = useState(initial);
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
    for (const type of TASK_EVENT_TYPES) source.addEventListener(type, refresh);
    // The server ends the stream when the task ends; read once more instead of reconnecting.
    source.addEventListener("error", refresh);
    return () => source.close();
  }, [id, live]);

  return [task, setTask];
}
