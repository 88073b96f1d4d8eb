import { assertEquals } from "../assert.ts";
import { findFigures, findNumbers } from "./numbers.ts";

Deno.test("[text] numbers, decimals, percentages and currency, dates left out", () => {
  const text = "Revenue rose 12.5% to $1,200.50 (EUR 300 and £5) on 2025-11-02; " +
    "COVID-19 cost 3 million, -4 degrees, 7 items.";
  assertEquals(findNumbers(text).map(({ index: _, ...n }) => n), [
    { text: "12.5%", value: 12.5, kind: "percentage" },
    { text: "$1,200.50", value: 1200.5, kind: "currency", currency: "USD" },
    { text: "EUR 300", value: 300, kind: "currency", currency: "EUR" },
    { text: "£5", value: 5, kind: "currency", currency: "GBP" },
    { text: "3 million", value: 3_000_000, kind: "number" },
    { text: "-4", value: -4, kind: "number" },
    { text: "7", value: 7, kind: "number" },
  ]);
});

Deno.test("[text] quantities keep their unit", () => {
  const text = "Germany added 14 GW, or 17TWh a year, for 3 million people over 1 year.";
  assertEquals(findNumbers(text).map(({ text, value, unit }) => ({ text, value, unit })), [
    { text: "14 GW", value: 14, unit: "GW" },
    { text: "17TWh", value: 17, unit: "TWh" },
    { text: "3 million people", value: 3_000_000, unit: "people" },
    { text: "1 year", value: 1, unit: "year" },
  ]);
});

Deno.test("[text] figures: the dates and numbers cited, once each, in order", () => {
  assertEquals(findFigures(["Sales rose 12% to $3.5 million in 2021."]), [
    "12%",
    "$3.5 million",
    "2021",
  ]);
  assertEquals(
    findFigures(["Filed 2025-11-02 with 14 GW.", "Again 14 GW, then 40%."], 3),
    ["2025-11-02", "14 GW", "40%"],
  );
});
