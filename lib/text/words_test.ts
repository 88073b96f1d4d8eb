import { assertEquals } from "../assert.ts";
import { isStopword, REQUEST_WORDS } from "./stopwords.ts";
import { contentWords, tokenize } from "./words.ts";

Deno.test("[text] tokens are lower-cased words with possessives folded", () => {
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

Deno.test("[text] content words can leave out a request's own vocabulary", () => {
  assertEquals(contentWords("Research the data on solar costs"), [
    "research",
    "data",
    "solar",
    "costs",
  ]);
  assertEquals(contentWords("Research the data on solar costs", REQUEST_WORDS), [
    "solar",
    "costs",
  ]);
});
