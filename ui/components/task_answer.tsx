/**
 * What a finished task says back: its summary as text, its insights as a list, statistics as
 * a table and a numeric series as a chart; or why it did not finish.
 */
import { numericSeries, statisticsRows } from "../answer_data.ts";
import type { IslandTask } from "../types.ts";
import { SeriesChart } from "./series_chart.tsx";
import { StatisticsTable } from "./statistics_table.tsx";

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
  const statistics = statisticsRows(task);
  const series = numericSeries(task, statistics.length > 0);
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
      <StatisticsTable rows={statistics} />
      {series && <SeriesChart series={series} />}
    </div>
  );
}
