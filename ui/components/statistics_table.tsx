/** Descriptive statistics from an answer, one row per series, as a table. */
import type { StatisticsRow } from "../answer_data.ts";

const fmt = (value: number | undefined) =>
  value === undefined ? "—" : Number.isInteger(value) ? String(value) : value.toFixed(2);

export function StatisticsTable({ rows }: { rows: StatisticsRow[] }) {
  if (rows.length === 0) return null;
  return (
    <div class="table-frame" role="region" aria-label="Statistics" tabIndex={0}>
      <table class="stats">
        <caption>Statistics</caption>
        <thead>
          <tr>
            <th scope="col">Series</th>
            <th scope="col">Count</th>
            <th scope="col">Mean</th>
            <th scope="col">Median</th>
            <th scope="col">Min</th>
            <th scope="col">Max</th>
            <th scope="col">Std dev</th>
            <th scope="col">Trend</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.name}>
              <th scope="row">{row.name}</th>
              <td>{fmt(row.count)}</td>
              <td>{fmt(row.mean)}</td>
              <td>{fmt(row.median)}</td>
              <td>{fmt(row.min)}</td>
              <td>{fmt(row.max)}</td>
              <td>{fmt(row.std_dev)}</td>
              <td>{row.trend ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
