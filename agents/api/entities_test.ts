import { assertEquals } from "@app/lib/assert";
import { findCapitalisedPhrases, findDates, findNumbers } from "./entities.ts";

Deno.test("[api-agent] entities: dates in ISO, US, day-first and slashed forms", () => {
  const text = "Filed 2025-11-02, heard on November 2, 2025 and 2 Nov 2025, signed 11/02/2025; " +
    "paid 25/12/2024. Not dates: 2025-13-01, February 30, 2024.";
  assertEquals(findDates(text).map(({ text, iso }) => [text, iso]), [
    ["2025-11-02", "2025-11-02"],
    ["November 2, 2025", "2025-11-02"],
    ["2 Nov 2025", "2025-11-02"],
    ["11/02/2025", "2025-11-02"],
    ["25/12/2024", "2024-12-25"],
  ]);
});

Deno.test("[api-agent] entities: numbers, decimals, percentages and currency, dates left out", () => {
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

Deno.test("[api-agent] entities: capitalised phrases skip sentence-initial stopwords", () => {
  const text = "The European Central Bank met in New York. In Paris, officials of the Bank of " +
    "America spoke with Christine Lagarde. Officials agreed. The Guardian reported it in " +
    "November. Lagarde left New York on Monday.";
  assertEquals(findCapitalisedPhrases(text), [
    { text: "European Central Bank", count: 1 },
    { text: "New York", count: 2 },
    { text: "Paris", count: 1 },
    { text: "Bank of America", count: 1 },
    { text: "Christine Lagarde", count: 1 },
    { text: "Guardian", count: 1 },
  ]);
});
