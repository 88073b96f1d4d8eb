/**
 * A numeric series as a line chart, drawn in the browser by uPlot (bundled from npm, loaded
 * only when a chart is shown: a dynamic import, its own chunk). The server renders the figure
 * with the values in words, so the chart has a text equivalent and a page without script
 * still says what it shows.
 */
import { useEffect, useRef } from "preact/hooks";
import type { NumericSeries } from "../answer_data.ts";

const cssVar = (name: string) =>
  getComputedStyle(document.documentElement).getPropertyValue(name).trim() || "currentColor";

export function SeriesChart({ series }: { series: NumericSeries }) {
  const frame = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let plot: { destroy(): void } | undefined;
    let gone = false;
    import("uplot").then(({ default: UPlot }) => {
      const element = frame.current;
      if (gone || !element) return;
      const text = cssVar("--text");
      const grid = cssVar("--border");
      plot = new UPlot(
        {
          width: Math.max(200, element.clientWidth),
          height: 200,
          legend: { show: false },
          cursor: { show: false },
          scales: { x: { time: false } },
          axes: [
            { stroke: text, grid: { stroke: grid } },
            { stroke: text, grid: { stroke: grid } },
          ],
          series: [{}, { label: series.name, stroke: cssVar("--accent"), width: 2 }],
        },
        [series.values.map((_, i) => i + 1), series.values],
        element,
      );
      element.dataset.chart = "drawn";
    });
    return () => {
      gone = true;
      plot?.destroy();
    };
  }, [series.name, series.values.join(",")]);
  const words = series.values.join(", ");
  return (
    <figure class="series-chart">
      <figcaption>Chart of {series.name} ({series.values.length} values)</figcaption>
      <div
        ref={frame}
        class="chart-frame"
        role="img"
        aria-label={`Line chart of ${series.name}: ${words}`}
        data-points={series.values.length}
      />
    </figure>
  );
}
