import { assertEquals } from "../assert.ts";
import { REQUEST_WORDS } from "./stopwords.ts";
import { topKeywords, weightedKeywords } from "./keywords.ts";

Deno.test("[text] keywords by frequency, ties in order of first appearance", () => {
  assertEquals(topKeywords("Wind power. Solar panels. Solar power. The solar age.", 3), [
    { word: "solar", count: 3 },
    { word: "power", count: 2 },
    { word: "wind", count: 1 },
  ]);
});

Deno.test("[text] weighted keywords: each text's words count its weight", () => {
  assertEquals(
    weightedKeywords([
      { text: "Research wind costs.", weight: 2 },
      { text: "Solar costs fell. Solar grew. Wind held." },
    ], { limit: 3, skip: REQUEST_WORDS }),
    [
      { word: "wind", weight: 3 },
      { word: "costs", weight: 3 },
      { word: "solar", weight: 2 },
    ],
  );
});
