/** What a finished task says back: its summary and insights, or why it did not finish. */
import type { IslandTask } from "../types.ts";

export function TaskAnswer({ task }: { task: IslandTask }) {
  const error = task.error ?? task.result?.error;
  if (task.status === "failed" || task.status === "cancelled") {
    return (
      <div class="answer answer-error" role="status">
        <p>
          <strong>Task {task.status}.</strong> {error ?? ""}
        </p>
      </div>
    );
  }
  if (task.status !== "completed") return null;
  const insights = task.result?.insights ?? [];
  return (
    <div class="answer">
      <h4>Summary</h4>
      <p class="summary">{task.result?.summary ?? "(no summary)"}</p>
      {insights.length > 0 && (
        <>
          <h4>Insights</h4>
          <ul class="insights">
            {insights.map((insight, i) => <li key={i}>{insight}</li>)}
          </ul>
        </>
      )}
    </div>
  );
}
