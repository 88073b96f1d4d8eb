import { assertEquals } from "../assert.ts";
import { splitSentences } from "./sentences.ts";

Deno.test("[text] sentences split at terminal punctuation, not at abbreviations or decimals", () => {
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

Deno.test("[text] a period before a lower-case word does not end the sentence", () => {
  assertEquals(splitSentences("Shops open at 9 a.m. sharp. They close late."), [
    "Shops open at 9 a.m. sharp.",
    "They close late.",
  ]);
});

Deno.test("[text] each list item is a sentence, without its marker", () => {
  assertEquals(splitSentences("One here. Two there!\n- Three\n4) Four.\n* Five\n• Six"), [
    "One here.",
    "Two there!",
    "Three",
    "Four.",
    "Five",
    "Six",
  ]);
  assertEquals(splitSentences("1. Solar grew.\n2. Wind fell.\n   3. Coal held."), [
    "Solar grew.",
    "Wind fell.",
    "Coal held.",
  ]);
});
