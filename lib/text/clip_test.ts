import { assertEquals } from "../assert.ts";
import { clip } from "./clip.ts";

Deno.test("[text] clip: one line, cut on a word boundary", () => {
  assertEquals(clip("  short\ntext ", 20), "short text");
  assertEquals(clip("Solar power is growing fast", 15), "Solar power…");
  assertEquals(clip("Supercalifragilistic", 10), "Supercali…");
});

Deno.test("[text] clip: a boundary early in the text cuts mid-word instead", () => {
  assertEquals(clip("A Supercalifragilistic word", 12), "A Supercali…");
});
