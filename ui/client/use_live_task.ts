/**
 * A task that follows the orchestrator's event stream, applying each event to the state in
 * the browser (task_state.ts) instead of re-reading the task: only what changed is sent. The
 * task is read again only for an event this code does not know, after the stream broke while
 * the task was still running (to catch up before the stream resumes after the last id), and
 * once when it ends (for what no event carries: tokens and cost, the trace).
 * Beside the task: each running step's partial output (`step.progress`) and each step's
 * attempts (for the timeline and the step details).
 */
import { useEffect, useRef, useState } from "preact/hooks";
import {
  isFinished,
  type IslandTask,
  TASK_EVENT_TYPES,
  type TaskEventMessage,
  type TaskView,
} from "../types.ts";
import { api } from "./api.ts";
import { applyProgress, type StepProgress } from "./step_progress.ts";
import { applyHistory, type StepHistory } from "./step_history.ts";
import { applyTaskEvent } from "./task_state.ts";

export interface LiveTaskOptions {
  /** Follow the stream even for a finished task, to read its history (the task page). */
  history?: boolean;
}

export function useLiveTask(
  initial: IslandTask,
  options: LiveTaskOptions = {},
): [IslandTask, (task: IslandTask) => void, StepProgress, StepHistory] {
  const [task, setTask] = useState(initial);
  const [progress, setProgress] = useState<StepProgress>({});
  const [history, setHistory] = useState<StepHistory>({});
  const current = useRef(task);
  current.current = task;
  // The last event applied: a new stream (after a retry) goes on from there, never replays.
  const lastId = useRef<string | null>(null);
  const historyDone = useRef(false);
  const id = initial.id;
  const live = !isFinished(task.status) || (!!options.history && !historyDone.current);

  useEffect(() => {
    if (!live) return;
    const after = lastId.current ? `?after=${encodeURIComponent(lastId.current)}` : "";
    const source = new EventSource(`/api/tasks/${id}/events${after}`);
    const steps = current.current.steps.map((step) => step.step_number);
    const reread = async () => {
      try {
        const next = await api<TaskView>(`/api/tasks/${id}`);
        current.current = next;
        setTask(next);
      } catch {
        // the next event or reconnect tries again
      }
    };
    const follow = (event: MessageEvent) => {
      let message: TaskEventMessage;
      try {
        message = JSON.parse(event.data) as TaskEventMessage;
      } catch {
        return; // not an event of ours
      }
      if (event.lastEventId) lastId.current = event.lastEventId;
      setProgress((state) => applyProgress(state, message));
      setHistory((state) => applyHistory(state, message, steps));
      const before = current.current;
      const next = applyTaskEvent(before, message);
      if (next === undefined) return void reread();
      if (next === before) return;
      current.current = next;
      setTask(next);
      // Once when it ends, for what no event carries (tokens and cost, the trace): one read
      // per task, not one per event. (A replayed end the page already shows changes nothing.)
      if (isFinished(next.status) && !isFinished(before.status)) reread();
    };
    for (const type of TASK_EVENT_TYPES) source.addEventListener(type, follow);
    // The server ends the stream after the task's end: stop there instead of reconnecting.
    // A break while it runs: catch up once; EventSource resumes after the last id itself.
    source.addEventListener("error", () => {
      if (isFinished(current.current.status)) {
        source.close();
        historyDone.current = true;
        setTask({ ...current.current }); // re-render: `live` is false now
      } else if (source.readyState !== EventSource.CLOSED) reread();
    });
    return () => source.close();
  }, [id, live]);

  return [task, setTask, progress, history];
}
