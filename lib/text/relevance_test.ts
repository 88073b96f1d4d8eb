import { assertEquals } from "../assert.ts";
import { rankSentences } from "./relevance.ts";

Deno.test("[text] relevance: keyword weight over the square root of length, figures a bit more", () => {
  const ranked = rankSentences(
    ["Cats sleep.", "Solar panels cut solar costs.", "Nothing.", "Solar fell 5%.", "Cats sleep."],
    [{ word: "solar", weight: 3 }, { word: "costs", weight: 1 }],
  );
  assertEquals(ranked, [
    // 3 / sqrt(2) * 1.1: "solar" and "fell", and a figure.
    { sentence: "Solar fell 5%.", score: 2.333 },
    // (3 + 1) / sqrt(5): "solar" counts once however often it occurs.
    { sentence: "Solar panels cut solar costs.", score: 1.789 },
    // Duplicates once; ties in original order.
    { sentence: "Cats sleep.", score: 0 },
    { sentence: "Nothing.", score: 0 },
  ]);
});
