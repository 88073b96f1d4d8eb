import { assertEquals } from "../assert.ts";
import { findCapitalisedPhrases, mostMentioned } from "./names.ts";

Deno.test("[text] names: capitalised phrases skip sentence-initial stopwords", () => {
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

Deno.test("[text] names: an opening word or request verb is not part of the name", () => {
  const text = "The United Nations met in New York. Later the United Nations voted.";
  assertEquals(mostMentioned(findCapitalisedPhrases(text), 8), ["United Nations", "New York"]);
  assertEquals(
    findCapitalisedPhrases("Research Deno. Summarize Tesla results.")
      .map((p) => p.text),
    ["Deno", "Tesla"],
  );
});

Deno.test("[text] names: units and calendar words are not names", () => {
  assertEquals(
    findCapitalisedPhrases("Germany added 14 GW in October. Fraunhofer ISE counted it on Monday.")
      .map((p) => p.text),
    ["Fraunhofer ISE"],
  );
});

Deno.test("[text] names: the vocabulary shows which opening words are names", () => {
  const text = "Germany installed 14 GW. Bavaria led.";
  assertEquals(findCapitalisedPhrases(text), []);
  assertEquals(
    findCapitalisedPhrases(text, { vocabulary: ["Research solar in Germany."] }),
    [{ text: "Germany", count: 1 }],
  );
});

Deno.test("[text] names: most mentioned first, ties in order of appearance", () => {
  assertEquals(
    mostMentioned([
      { text: "Paris", count: 1 },
      { text: "Rome", count: 2 },
      { text: "Oslo", count: 1 },
    ], 2),
    ["Rome", "Paris"],
  );
});
