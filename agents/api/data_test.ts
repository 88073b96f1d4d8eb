import { assertEquals } from "@app/lib/assert";
import { dataSeries, dataText, numericValue } from "./data.ts";

Deno.test("[api-agent] data: numeric values include numeric strings only", () => {
  assertEquals(numericValue(3.5), 3.5);
  assertEquals(numericValue(" -2 "), -2);
  assertEquals(numericValue("1,200.5"), 1200.5);
  assertEquals(numericValue("abc"), undefined);
  assertEquals(numericValue(""), undefined);
  assertEquals(numericValue(true), undefined);
  assertEquals(numericValue(Infinity), undefined);
  assertEquals(numericValue("1.2.3"), undefined);
});

Deno.test("[api-agent] data: a list of numbers skips what is not a number", () => {
  assertEquals(dataSeries([1, "2", null, "x", 3]), {
    kind: "numbers",
    series: [{ field: "values", values: [1, 2, 3], skipped: 2 }],
    categorical: [],
  });
});

Deno.test("[api-agent] data: records give one series per numeric field, nested by dotted path", () => {
  const shape = dataSeries([
    { city: "Oslo", sales: 10, stats: { visits: 100 } },
    { city: "Rome", sales: "20", stats: { visits: 300 } },
    { city: "Oslo", note: "late", stats: {} },
  ]);
  assertEquals(shape.kind, "records");
  assertEquals(shape.record_count, 3);
  assertEquals(shape.series, [
    { field: "sales", values: [10, 20], skipped: 1 },
    { field: "stats.visits", values: [100, 300], skipped: 1 },
  ]);
  assertEquals(shape.categorical.map((c) => [c.field, c.distinct, c.top[0]]), [
    ["city", 2, { value: "Oslo", count: 2 }],
    ["note", 1, { value: "late", count: 1 }],
  ]);
});

Deno.test("[api-agent] data: an object gives labelled scalars and its numeric arrays", () => {
  assertEquals(dataSeries({ jan: 3, feb: 5, costs: [1, 2], title: "Q1" }).series, [
    { field: "values", values: [3, 5], labels: ["jan", "feb"], skipped: 0 },
    { field: "costs", values: [1, 2], skipped: 0 },
  ]);
  assertEquals(dataSeries({ title: "none" }).series, []);
});

Deno.test("[api-agent] data: text is every non-numeric string leaf", () => {
  assertEquals(dataText([{ title: "First.", n: "3" }, "Second.", 4]), "First.\n\nSecond.");
});
