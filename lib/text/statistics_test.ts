import { assertEquals } from "../assert.ts";
import { textStatistics } from "./statistics.ts";

Deno.test("[text] statistics count characters, words and sentences", () => {
  assertEquals(textStatistics("The cat sat. The cat ran away!", 2), {
    characters: 30,
    words: 7,
    unique_words: 5,
    sentences: 2,
    average_sentence_length: 3.5,
    keywords: [{ word: "cat", count: 2 }, { word: "sat", count: 1 }],
  });
  assertEquals(textStatistics("").sentences, 0);
  assertEquals(textStatistics("").average_sentence_length, 0);
});
