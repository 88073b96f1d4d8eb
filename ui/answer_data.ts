/**
 * What a finished task's answer holds beyond its text, found in its steps' outputs: tables of
 * statistics (any object with a numeric `count` and `mean`, as the analysis agent returns per
 * field) and a numeric series to chart (the first list of three or more numbers in the steps'
 * input or output, else, when they were analysed, the numbers of the request itself). Pure, shared by server and browser.
 */
import type { IslandTask } from "./types.ts";

export interface StatisticsRow {
  name: string;
  count: number;
  mean: number;
  median?: number;
  min?: number;
  max?: number;
  std_dev?: number;
  trend?: string;
}

export interface NumericSeries {
  name: string;
  values: number[];
}

const MAX_DEPTH = 8;
const MIN_SERIES = 3;
const MAX_SERIES = 1_000;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const num = (value: unknown) => typeof value === "number" && Number.isFinite(value);

function trendOf(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (isObject(value)) {
    const direction = value.direction ?? value.label ?? value.kind;
    if (typeof direction === "string") return direction;
  }
  return undefined;
}

export function statisticsRows(task: IslandTask): StatisticsRow[] {
  const rows: StatisticsRow[] = [];
  const seen = new Set<string>();
  const walk = (value: unknown, name: string, depth: number) => {
    if (depth > MAX_DEPTH || rows.length >= 50) return;
    if (Array.isArray(value)) return value.forEach((v, i) => walk(v, `${name}[${i}]`, depth + 1));
    if (!isObject(value)) return;
    if (num(value.count) && num(value.mean)) {
      const row: StatisticsRow = {
        name,
        count: value.count as number,
        mean: value.mean as number,
      };
      for (const key of ["median", "min", "max", "std_dev"] as const) {
        if (num(value[key])) row[key] = value[key] as number;
      }
      const trend = trendOf(value.trend);
      if (trend) row.trend = trend;
      const key = JSON.stringify(row);
      if (!seen.has(key)) rows.push(row);
      seen.add(key);
      return;
    }
    for (const [key, inner] of Object.entries(value)) walk(inner, key, depth + 1);
  };
  walk(task.result?.step_outputs ?? {}, "values", 0);
  return rows;
}

/** `fromRequest`: with no list in the steps, chart the request's numbers (when analysed). */
export function numericSeries(task: IslandTask, fromRequest = false): NumericSeries | undefined {
  let found: NumericSeries | undefined;
  const walk = (value: unknown, name: string, depth: number) => {
    if (found || depth > MAX_DEPTH) return;
    if (Array.isArray(value)) {
      if (value.length >= MIN_SERIES && value.every(num)) {
        found = { name, values: (value as number[]).slice(0, MAX_SERIES) };
        return;
      }
      return value.forEach((v) => walk(v, name, depth + 1));
    }
    if (isObject(value)) {
      for (const [key, inner] of Object.entries(value)) walk(inner, key, depth + 1);
    }
  };
  for (const step of task.steps) {
    walk(step.input_data, "values", 0);
    walk(step.output_data, "values", 0);
  }
  if (found || !fromRequest) return found;
  // The request's own numbers ("…these figures: 120, 135, 128").
  const numbers = [...task.description.matchAll(/-?\d+(?:\.\d+)?/g)].map((m) => Number(m[0]));
  return numbers.length >= MIN_SERIES
    ? { name: "values", values: numbers.slice(0, MAX_SERIES) }
    : undefined;
}
