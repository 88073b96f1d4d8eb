/**
 * The analyze operation: descriptive statistics for every numeric series in `data` (see
 * statistics.ts; standard deviation is the population one) and counts and keywords for the text.
 */
import { unprocessable } from "@app/lib";
import { type TextStatistics, textStatistics } from "@app/lib/text";
import { dataSeries, type NumericSeries } from "./data.ts";
import { cleanNumbers, formatNumber, listing, plural } from "./format.ts";
import type { OperationRequest, OperationResponse } from "./request.ts";
import { DEFAULT_PERCENTILES, describe, type SeriesStatistics } from "./statistics.ts";

const MAX_INSIGHTS = 20;
const SERIES_IN_SUMMARY = 3;

export type FieldStatistics = SeriesStatistics & {
  skipped: number;
  labels?: string[];
};

function seriesStatistics(series: NumericSeries, percentiles: readonly number[]): FieldStatistics {
  // Finite inputs near Number.MAX_VALUE still overflow a sum or a square.
  const spread = series.values.reduce((most, v) => Math.max(most, Math.abs(v)), 0);
  if (spread > 1e150) {
    throw unprocessable(
      series.field === "values" ? "data" : `data.${series.field}`,
      "numbers above 1e150 in magnitude are too large to analyze",
    );
  }
  return {
    ...describe(series.values, percentiles),
    skipped: series.skipped,
    ...(series.labels && { labels: series.labels }),
  };
}

const signed = (n: number) => (n > 0 ? "+" : "") + formatNumber(n);

function outlierText(stats: FieldStatistics): string {
  return stats.outliers.values.map((value, i) => {
    const index = stats.outliers.indices[i];
    return `${formatNumber(value)} (${stats.labels ? stats.labels[index] : `index ${index}`})`;
  }).join(", ");
}

function trendText(stats: FieldStatistics): string {
  const { direction, slope } = stats.trend;
  return direction === "flat"
    ? "flat (no clear trend)"
    : `${direction} (${signed(slope)} per step)`;
}

/** A series' figures: "mean 5, median 4.5, ...; trend up (+0.8 per step); no outliers". */
function seriesFigures(stats: FieldStatistics): string {
  const outliers = stats.outliers.values.length
    ? `${plural(stats.outliers.values.length, "outlier")}: ${outlierText(stats)}`
    : "no outliers";
  return `mean ${formatNumber(stats.mean)}, median ${formatNumber(stats.median)}, range ` +
    `${formatNumber(stats.min)} to ${formatNumber(stats.max)}, standard deviation ` +
    `${formatNumber(stats.std_dev)} (population); trend ${trendText(stats)}; ${outliers}`;
}

/** One sentence for the summary paragraph. */
function seriesSentence(name: string, stats: FieldStatistics): string {
  return `${name}: ${plural(stats.count, "value")}, ${seriesFigures(stats)}.`;
}

function seriesInsights(name: string, stats: FieldStatistics): string[] {
  const prefix = name ? `${name}: ` : "";
  const insights = [
    `${prefix}mean ${formatNumber(stats.mean)}, median ${formatNumber(stats.median)} ` +
    `(min ${formatNumber(stats.min)}, max ${formatNumber(stats.max)})`,
    `${prefix}standard deviation ${formatNumber(stats.std_dev)} (population)`,
    stats.trend.direction === "flat"
      ? `${prefix}no clear trend (slope ${formatNumber(stats.trend.slope)} per step)`
      : `${prefix}trending ${stats.trend.direction}, ${signed(stats.trend.slope)} per step ` +
        `(R² ${formatNumber(stats.trend.r_squared)})`,
  ];
  if (stats.outliers.values.length) insights.push(`${prefix}outliers: ${outlierText(stats)}`);
  return insights;
}

function textSentence(stats: TextStatistics): string {
  const keywords = stats.keywords.slice(0, 5).map((k) => k.word);
  return `The text has ${plural(stats.words, "word")} in ${plural(stats.sentences, "sentence")} ` +
    `(${formatNumber(stats.average_sentence_length)} words per sentence on average)` +
    (keywords.length ? `; its main terms are ${listing(keywords)}.` : ".");
}

function textInsights(stats: TextStatistics): string[] {
  const insights = [
    `${plural(stats.words, "word")} (${stats.unique_words} distinct), ` +
    `${plural(stats.sentences, "sentence")}, ${plural(stats.characters, "character")}`,
    `Average sentence length: ${formatNumber(stats.average_sentence_length)} words`,
  ];
  if (stats.keywords.length) {
    insights.push(
      `Top keywords: ${listing(stats.keywords.slice(0, 5).map((k) => `${k.word} (${k.count})`))}`,
    );
  }
  return insights;
}

export function analyze(request: OperationRequest): Promise<OperationResponse> {
  const text = request.input.trim();
  const hasData = request.data !== undefined && request.data !== null;
  if (!text && !hasData) {
    throw unprocessable("input", "nothing to analyze: input is empty and no data was given");
  }
  const percentiles = request.options.percentiles ?? DEFAULT_PERCENTILES;
  const summary: string[] = [];
  const insights: string[] = [];
  const result: Record<string, unknown> = {};

  if (hasData) {
    const shape = dataSeries(request.data);
    let series = shape.series;
    const wanted = request.options.fields;
    if (wanted) {
      series = series.filter((s) => wanted.includes(s.field));
      if (!series.length) {
        throw unprocessable(
          "options.fields",
          `none of ${wanted.join(", ")} is a numeric field of data` +
            (shape.series.length
              ? ` (numeric fields: ${shape.series.map((s) => s.field).join(", ")})`
              : ""),
        );
      }
    }
    if (!series.length) {
      throw unprocessable(
        "data",
        "contains no numbers to analyze: expected a list of numbers, a list of records " +
          "with numeric fields, or an object of numbers",
      );
    }
    const fields = Object.fromEntries(
      series.map((s) => [s.field, seriesStatistics(s, percentiles)]),
    );
    const single = series.length === 1 && series[0].field === "values";
    const opening = shape.kind === "records"
      ? `Analyzed ${plural(shape.record_count ?? 0, "record")} with ` +
        `${plural(series.length, "numeric field")}.`
      : single
      // One list of numbers: one sentence says it all (a one-sentence summary keeps it).
      ? `Analyzed ${plural(fields.values.count, "value")}: ${seriesFigures(fields.values)}.`
      : `Analyzed ${plural(series.length, "numeric series", "numeric series")}.`;
    summary.push(opening);
    for (const [name, stats] of Object.entries(fields).slice(0, SERIES_IN_SUMMARY)) {
      if (!single) summary.push(seriesSentence(name, stats));
      insights.push(...seriesInsights(single ? "" : name, stats));
    }
    if (series.length > SERIES_IN_SUMMARY) {
      summary.push(
        `${plural(series.length - SERIES_IN_SUMMARY, "more field")} are described in the result.`,
      );
      for (const [name, stats] of Object.entries(fields).slice(SERIES_IN_SUMMARY)) {
        insights.push(...seriesInsights(name, stats));
      }
    }
    for (const category of shape.categorical) {
      const top = category.top[0];
      insights.push(
        `${category.field}: ${plural(category.distinct, "distinct value")}, most common ` +
          `"${top.value}" (${top.count})`,
      );
    }
    result.data = {
      kind: shape.kind,
      ...(shape.record_count !== undefined && { record_count: shape.record_count }),
      fields,
      ...(shape.categorical.length && { categorical: shape.categorical }),
      std_dev_kind: "population",
      percentile_method: "linear interpolation (rank = p/100 * (n - 1))",
    };
  }

  if (text) {
    const stats = textStatistics(text, request.options.top_k ?? 10);
    summary.push(textSentence(stats));
    insights.push(...textInsights(stats));
    result.text = stats;
  }

  return Promise.resolve({
    operation: "analyze",
    summary: summary.join(" "),
    insights: insights.slice(0, MAX_INSIGHTS),
    result: cleanNumbers(result),
    offline: true,
  });
}
