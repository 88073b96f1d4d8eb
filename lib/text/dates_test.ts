import { assertEquals } from "../assert.ts";
import { findDates, withoutDates } from "./dates.ts";

Deno.test("[text] dates in ISO, US, day-first and slashed forms", () => {
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

Deno.test("[text] blanking dates keeps every other character where it was", () => {
  const text = "On 2025-11-02 we met.";
  assertEquals(withoutDates(text, findDates(text), ";"), "On ;;;;;;;;;; we met.");
});
