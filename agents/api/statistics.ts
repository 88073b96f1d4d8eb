/**
 * Descriptive statistics for one numeric series. Standard deviation and variance are the
 * POPULATION ones (divide by n, not n - 1): the series is treated as the whole data set.
 * Percentiles interpolate linearly between closest ranks (numpy's default, Excel's
 * PERCENTILE.INC): rank = p/100 * (n - 1).
 */

export const DEFAULT_PERCENTILES = [25, 50, 75, 90, 95] as const;

/** A trend whose total change over the series is within this share of the mean magnitude is flat. */
export const FLAT_TREND_SHARE = 0.05;

export interface Trend {
  /** Least-squares slope of value over index (0, 1, 2...): change per step. */
  slope: number;
  intercept: number;
  /** Share of the variance the line explains, 0..1 (1 for a constant series). */
  r_squared: number;
  direction: "up" | "down" | "flat";
}

export interface Outliers {
  lower_fence: number;
  upper_fence: number;
  values: number[];
  indices: number[];
}

export interface SeriesStatistics {
  count: number;
  sum: number;
  mean: number;
  median: number;
  min: number;
  max: number;
  range: number;
  /** Population variance. */
  variance: number;
  /** Population standard deviation. */
  std_dev: number;
  percentiles: Record<string, number>;
  trend: Trend;
  outliers: Outliers;
}

function requireValues(values: readonly number[]): void {
  if (values.length === 0) throw new RangeError("statistics need at least one value");
}

export function sum(values: readonly number[]): number {
  return values.reduce((total, v) => total + v, 0);
}

export function mean(values: readonly number[]): number {
  requireValues(values);
  return sum(values) / values.length;
}

/** Population variance: mean squared distance from the mean. */
export function variance(values: readonly number[]): number {
  const m = mean(values);
  return sum(values.map((v) => (v - m) ** 2)) / values.length;
}

export function stdDev(values: readonly number[]): number {
  return Math.sqrt(variance(values));
}

export function sorted(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** The p-th percentile (0..100) by linear interpolation; `ascending` must be sorted. */
export function percentileOfSorted(ascending: readonly number[], p: number): number {
  requireValues(ascending);
  if (p < 0 || p > 100) throw new RangeError(`percentile ${p} is outside 0..100`);
  const rank = (p / 100) * (ascending.length - 1);
  const below = Math.floor(rank);
  const above = Math.ceil(rank);
  return ascending[below] + (ascending[above] - ascending[below]) * (rank - below);
}

export function percentile(values: readonly number[], p: number): number {
  return percentileOfSorted(sorted(values), p);
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** "p25", "p50"; "p99.5" for fractional ones. */
export function percentileKey(p: number): string {
  return `p${p}`;
}

/** Ordinary least squares of value on index. */
export function trend(values: readonly number[]): Trend {
  requireValues(values);
  const n = values.length;
  const meanY = mean(values);
  if (n < 2) return { slope: 0, intercept: meanY, r_squared: 1, direction: "flat" };
  const meanX = (n - 1) / 2;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  values.forEach((y, x) => {
    sxy += (x - meanX) * (y - meanY);
    sxx += (x - meanX) ** 2;
    syy += (y - meanY) ** 2;
  });
  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  const r_squared = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  const scale = mean(values.map(Math.abs));
  const change = Math.abs(slope * (n - 1));
  const direction = scale === 0 || change <= FLAT_TREND_SHARE * scale
    ? "flat"
    : slope > 0
    ? "up"
    : "down";
  return { slope, intercept, r_squared, direction };
}

/** Values beyond 1.5 interquartile ranges outside the quartiles (Tukey's fences). */
export function outliers(values: readonly number[]): Outliers {
  const ascending = sorted(values);
  const q1 = percentileOfSorted(ascending, 25);
  const q3 = percentileOfSorted(ascending, 75);
  const iqr = q3 - q1;
  const lower_fence = q1 - 1.5 * iqr;
  const upper_fence = q3 + 1.5 * iqr;
  const indices: number[] = [];
  values.forEach((v, i) => {
    if (v < lower_fence || v > upper_fence) indices.push(i);
  });
  return { lower_fence, upper_fence, values: indices.map((i) => values[i]), indices };
}

/** Every statistic for one series, in its original order (the order matters for the trend). */
export function describe(
  values: readonly number[],
  percentiles: readonly number[] = DEFAULT_PERCENTILES,
): SeriesStatistics {
  requireValues(values);
  const ascending = sorted(values);
  const v = variance(values);
  return {
    count: values.length,
    sum: sum(values),
    mean: mean(values),
    median: percentileOfSorted(ascending, 50),
    min: ascending[0],
    max: ascending[ascending.length - 1],
    range: ascending[ascending.length - 1] - ascending[0],
    variance: v,
    std_dev: Math.sqrt(v),
    percentiles: Object.fromEntries(
      percentiles.map((p) => [percentileKey(p), percentileOfSorted(ascending, p)]),
    ),
    trend: trend(values),
    outliers: outliers(values),
  };
}
