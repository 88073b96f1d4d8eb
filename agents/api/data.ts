/**
 * Reads the `data` of a request into numeric series (a list of numbers, each numeric field of a
 * list of records, each numeric array or scalar of an object) and the text it carries.
 */

export interface NumericSeries {
  /** "values" for a plain list of numbers; the field's dotted path otherwise. */
  field: string;
  values: number[];
  /** For an object of named scalars ({"jan": 3, "feb": 5}): the name of each value. */
  labels?: string[];
  /** Entries that held no number (missing field, text, null). */
  skipped: number;
}

export interface CategoricalField {
  field: string;
  distinct: number;
  top: { value: string; count: number }[];
}

export interface DataSeries {
  kind: "numbers" | "records" | "object";
  series: NumericSeries[];
  categorical: CategoricalField[];
  /** Records read, for a list of records. */
  record_count?: number;
}

const NUMERIC_TEXT = /^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][-+]?\d+)?$/;

/** A finite number, or a string that is one ("3.5", "-2", "1,200"); else undefined. */
export function numericValue(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  if (!text || !/\d/.test(text) || !NUMERIC_TEXT.test(text)) return undefined;
  const parsed = Number(text.replaceAll(",", ""));
  return Number.isFinite(parsed) ? parsed : undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A record's scalar leaves by dotted path ({a: {b: 1}} gives "a.b"); arrays are left out. */
function flatten(record: Record<string, unknown>, prefix = ""): [string, unknown][] {
  return Object.entries(record).flatMap(([key, value]) =>
    isRecord(value)
      ? flatten(value, `${prefix}${key}.`)
      : Array.isArray(value)
      ? []
      : [[`${prefix}${key}`, value] as [string, unknown]]
  );
}

function recordsSeries(records: Record<string, unknown>[], prefix: string) {
  const columns = new Map<string, unknown[]>();
  records.forEach((record, row) => {
    for (const [field, value] of flatten(record)) {
      const column = columns.get(field) ?? Array(records.length).fill(undefined);
      column[row] = value;
      columns.set(field, column);
    }
  });
  const series: NumericSeries[] = [];
  const categorical: CategoricalField[] = [];
  for (const [field, column] of columns) {
    const values = column.map(numericValue).filter((v): v is number => v !== undefined);
    if (values.length) {
      series.push({ field: prefix + field, values, skipped: column.length - values.length });
      continue;
    }
    const counts = new Map<string, number>();
    for (const value of column) {
      if (typeof value === "string" && value.trim()) {
        counts.set(value.trim(), (counts.get(value.trim()) ?? 0) + 1);
      }
    }
    if (counts.size) {
      categorical.push({
        field: prefix + field,
        distinct: counts.size,
        top: [...counts].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([value, count]) => ({
          value,
          count,
        })),
      });
    }
  }
  return { series, categorical };
}

function arraySeries(items: unknown[], name: string): DataSeries {
  const records = items.filter(isRecord);
  const numbers = items.filter((item) => !isRecord(item)).map(numericValue);
  const values = numbers.filter((v): v is number => v !== undefined);
  const fromRecords = recordsSeries(records, name === "values" ? "" : `${name}.`);
  const series = values.length
    ? [{ field: name, values, skipped: numbers.length - values.length }]
    : [];
  return {
    kind: records.length > numbers.length ? "records" : "numbers",
    series: [...series, ...fromRecords.series],
    categorical: fromRecords.categorical,
    ...(records.length && { record_count: records.length }),
  };
}

function objectSeries(object: Record<string, unknown>, prefix = ""): DataSeries {
  const series: NumericSeries[] = [];
  const categorical: CategoricalField[] = [];
  const scalars: { label: string; value: number }[] = [];
  for (const [key, value] of Object.entries(object)) {
    const path = prefix + key;
    if (Array.isArray(value)) {
      const inner = arraySeries(value, path);
      series.push(...inner.series);
      categorical.push(...inner.categorical);
    } else if (isRecord(value)) {
      const inner = objectSeries(value, `${path}.`);
      series.push(...inner.series);
      categorical.push(...inner.categorical);
    } else {
      const number = numericValue(value);
      if (number !== undefined) scalars.push({ label: key, value: number });
    }
  }
  if (scalars.length) {
    series.unshift({
      field: prefix ? prefix.slice(0, -1) : "values",
      values: scalars.map((s) => s.value),
      labels: scalars.map((s) => s.label),
      skipped: 0,
    });
  }
  return { kind: "object", series, categorical };
}

/** The numeric series in `data`; empty `series` when it holds no numbers. */
export function dataSeries(data: unknown): DataSeries {
  if (Array.isArray(data)) return arraySeries(data, "values");
  if (isRecord(data)) return objectSeries(data);
  const number = numericValue(data);
  return {
    kind: "numbers",
    series: number === undefined ? [] : [{ field: "values", values: [number], skipped: 0 }],
    categorical: [],
  };
}

/** The text in `data`: every string leaf that is not a number, one paragraph each. */
export function dataText(data: unknown): string {
  const pieces: string[] = [];
  const visit = (value: unknown) => {
    if (typeof value === "string") {
      if (value.trim() && numericValue(value) === undefined) pieces.push(value.trim());
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (isRecord(value)) Object.values(value).forEach(visit);
  };
  visit(data);
  return pieces.join("\n\n");
}
