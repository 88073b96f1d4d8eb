/**
 * Sentence splitting. A sentence ends at `.`, `!` or `?` (with any closing quotes or brackets)
 * followed by whitespace, unless the period follows a known abbreviation or an initial, or the
 * next word starts in lower case. A blank line ends one, and so does a list item's line.
 */

// Abbreviations whose trailing period does not end a sentence.
const ABBREVIATIONS = new Set(
  (
    "mr mrs ms dr prof sr jr st vs etc e.g i.e inc ltd co corp fig approx jan feb mar apr jun " +
    "jul aug sep sept oct nov dec u.s u.k"
  ).split(" "),
);

/** A list item's marker at the start of a line: "- ", "* ", "• ", "1. ", "2) ". */
const LIST_MARKER = /^[ \t]*(?:[-*•]|\d+[.)])[ \t]+/;

/** Blank lines, and line breaks before a list item, separate blocks no sentence crosses. */
const BLOCK_BREAK = /\n[ \t]*(?:\n\s*|(?=(?:[-*•]|\d+[.)])[ \t]+))/;

/** Splits text into sentences, each with its whitespace collapsed; list markers are dropped. */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  for (const block of text.split(BLOCK_BREAK)) {
    const paragraph = block.replace(LIST_MARKER, "");
    let start = 0;
    const boundary = /[.!?]+["'”’)\]]*(?=\s)/g;
    for (const match of paragraph.matchAll(boundary)) {
      const end = match.index + match[0].length;
      if (match[0] === ".") {
        // A bounded look-back keeps long runs of initials ("A. B. C. ...") linear.
        const window = paragraph.slice(Math.max(start, match.index - 12), match.index);
        const before = window.match(/(\S+)$/)?.[1] ?? "";
        const word = before.replace(/^["'“‘(\[]+/, "");
        // "Dr. Smith", "J. R. R. Tolkien", "3 p.m. today": not the end of a sentence.
        if (ABBREVIATIONS.has(word.toLowerCase()) || /^\p{Lu}$/u.test(word)) continue;
        if (/^\s+\p{Ll}/u.test(paragraph.slice(end, end + 8))) continue;
      }
      push(paragraph.slice(start, end));
      start = end;
    }
    push(paragraph.slice(start));
  }
  return sentences;

  function push(piece: string) {
    const sentence = piece.replace(/\s+/g, " ").trim();
    if (/[\p{L}\p{N}]/u.test(sentence)) sentences.push(sentence);
  }
}
