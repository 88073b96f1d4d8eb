import { assertEquals } from "@app/lib/assert";
import {
  contentWords,
  isStopword,
  splitSentences,
  textStatistics,
  tokenize,
  topKeywords,
} from "./text.ts";

Deno.test("[api-agent] text: sentences split at terminal punctuation, not at abbreviations or decimals", () => {
  assertEquals(
    splitSentences(
      'Dr. Smith paid 3.5 dollars. It rained! Did it? "Yes." Then e.g. fruit was sold.\n\n' +
        "A new paragraph without a period\nthat wraps",
    ),
    [
      "Dr. Smith paid 3.5 dollars.",
      "It rained!",
      "Did it?",
      '"Yes."',
      "Then e.g. fruit was sold.",
      "A new paragraph without a period that wraps",
    ],
  );
  assertEquals(splitSentences("J. R. R. Tolkien wrote books. He died."), [
    "J. R. R. Tolkien wrote books.",
    "He died.",
  ]);
  assertEquals(splitSentences("  ...  "), []);
});

Deno.test("[api-agent] text: tokens are lower-cased words with possessives folded", () => {
  assertEquals(tokenize("Don't stop the AI's 2 big-data models"), [
    "don't",
    "stop",
    "the",
    "ai",
    "2",
    "big-data",
    "models",
  ]);
  assertEquals(contentWords("Don't stop the AI's 2 big-data models"), [
    "stop",
    "ai",
    "big-data",
    "models",
  ]);
  assertEquals(isStopword("The"), true);
  assertEquals(isStopword("solar"), false);
});

Deno.test("[api-agent] text: keywords by frequency, ties in order of first appearance", () => {
  assertEquals(topKeywords("Wind power. Solar panels. Solar power. The solar age.", 3), [
    { word: "solar", count: 3 },
    { word: "power", count: 2 },
    { word: "wind", count: 1 },
  ]);
});

Deno.test("[api-agent] text: statistics count characters, words and sentences", () => {
  assertEquals(textStatistics("The cat sat. The cat ran away!", 2), {
    characters: 30,
    words: 7,
    unique_words: 5,
    sentences: 2,
    average_sentence_length: 3.5,
    keywords: [{ word: "cat", count: 2 }, { word: "sat", count: 1 }],
  });
});
