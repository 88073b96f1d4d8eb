import { assertEquals } from "../assert.ts";
import { extractiveSummary, scoreSentences } from "./summary.ts";

// Term frequencies: solar 4, power 3, every other content word 1; weights are tf / 4.
const SOLAR_TEXT = "Solar power is growing fast. " +
  "Solar panels are cheaper than ever, and solar power now beats coal. " +
  "The weather was nice. Many countries invest in solar power. Dogs bark.";

const round = (n: number) => Math.round(n * 1e9) / 1e9;

Deno.test("[text] extractive: scores are mean keyword weight plus a position bonus", () => {
  assertEquals(scoreSentences(SOLAR_TEXT).map((s) => round(s.score)), [
    round((1 + 0.75 + 0.25 + 0.25) / 4 + 0.2), // solar power growing fast
    round((1 + 0.25 + 0.25 + 1 + 0.75 + 0.25 + 0.25) / 7 + 0.16), // solar panels cheaper solar power beats coal
    round((0.25 + 0.25) / 2 + 0.12), // weather nice
    round((0.25 + 0.25 + 1 + 0.75) / 4 + 0.08), // countries invest solar power
    round((0.25 + 0.25) / 2 + 0.04), // dogs bark
  ]);
});

Deno.test("[text] extractive: the top sentences come back in original order", () => {
  assertEquals(extractiveSummary(SOLAR_TEXT, 3).selected.map((s) => s.text), [
    "Solar power is growing fast.",
    "Solar panels are cheaper than ever, and solar power now beats coal.",
    "Many countries invest in solar power.",
  ]);
  // The last sentence (0.778 + 0.067) outranks the first (0.333 + 0.2), yet stays last.
  const text = "Dogs bark. Cats sleep. Solar power matters; solar power wins; solar power grows.";
  assertEquals(extractiveSummary(text, 2).selected.map((s) => s.index), [0, 2]);
  assertEquals(extractiveSummary(text, 1).selected.map((s) => s.index), [2]);
  assertEquals(extractiveSummary("One sentence only.", 3).selected.length, 1);
});
