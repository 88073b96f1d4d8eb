/**
 * Text utilities shared by the operations: sentence splitting, word tokens, English stopwords
 * and term-frequency keywords. Deterministic, no dependencies.
 */

/** Common English function words; they carry no topic, so keywords and scores skip them. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    "a about above after again against all almost also although am among an and another any " +
    "are aren't around as at be because been before being below between both but by can " +
    "can't cannot could couldn't did didn't do does doesn't doing don't down during each " +
    "either else etc even ever every few for from further get gets got had hadn't has hasn't " +
    "have haven't having he he'd he'll he's her here here's hers herself him himself his how " +
    "how's however i i'd i'll i'm i've if in into is isn't it it's its itself just let's " +
    "like many may me might more most much must mustn't my myself neither no nor not now of " +
    "off often on once one only or other ought our ours ourselves out over own per quite " +
    "rather really same shall shan't she she'd she'll she's should shouldn't since so some " +
    "such than that that's the their theirs them themselves then there there's these they " +
    "they'd they'll they're they've this those though through thus to too toward towards " +
    "under until up upon us very via was wasn't we we'd we'll we're we've were weren't what " +
    "what's when when's where where's whether which while who who's whom whose why why's " +
    "will with within without won't would wouldn't yet you you'd you'll you're you've your " +
    "yours yourself yourselves"
  ).split(" "),
);

export function isStopword(word: string): boolean {
  return STOPWORDS.has(word.toLowerCase().replaceAll("’", "'"));
}

// Abbreviations whose trailing period does not end a sentence.
const ABBREVIATIONS = new Set([
  "mr",
  "mrs",
  "ms",
  "dr",
  "prof",
  "sr",
  "jr",
  "st",
  "vs",
  "etc",
  "e.g",
  "i.e",
  "inc",
  "ltd",
  "co",
  "corp",
  "fig",
  "approx",
  "jan",
  "feb",
  "mar",
  "apr",
  "jun",
  "jul",
  "aug",
  "sep",
  "sept",
  "oct",
  "nov",
  "dec",
  "u.s",
  "u.k",
]);

/**
 * Splits text into sentences. A sentence ends at `.`, `!` or `?` (with any closing quotes or
 * brackets) followed by whitespace, unless the word before the period is a known abbreviation
 * or a single initial; a blank line always ends one. Decimals such as 3.5 never split.
 */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  for (const paragraph of text.split(/\n\s*\n/)) {
    let start = 0;
    const boundary = /[.!?]+["'”’)\]]*(?=\s)/g;
    for (const match of paragraph.matchAll(boundary)) {
      const end = match.index + match[0].length;
      if (match[0].startsWith(".") && match[0].length === 1) {
        // A bounded look-back keeps long runs of initials ("A. B. C. ...") linear.
        const window = paragraph.slice(Math.max(start, match.index - 12), match.index);
        const before = window.match(/(\S+)$/)?.[1] ?? "";
        const word = before.replace(/^["'“‘(\[]+/, "");
        // "Dr. Smith", "e.g. this", "J. R. R. Tolkien": not the end of a sentence.
        if (ABBREVIATIONS.has(word.toLowerCase()) || /^\p{Lu}$/u.test(word)) continue;
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

/** Lower-cased word tokens (letters and digits, inner apostrophes and hyphens kept). */
export function tokenize(text: string): string[] {
  const words = text.toLowerCase().replaceAll("’", "'").match(
    /[\p{L}\p{N}]+(?:['-][\p{L}\p{N}]+)*/gu,
  ) ?? [];
  // A possessive 's names the same thing as the bare word.
  return words.map((word) => word.endsWith("'s") ? word.slice(0, -2) : word);
}

/** Words that can be keywords: not stopwords, containing a letter, at least two characters. */
export function contentWords(text: string): string[] {
  return tokenize(text).filter((word) =>
    word.length >= 2 && /\p{L}/u.test(word) && !STOPWORDS.has(word)
  );
}

/** How often each content word occurs, in order of first appearance. */
export function termFrequencies(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const word of contentWords(text)) counts.set(word, (counts.get(word) ?? 0) + 1);
  return counts;
}

export interface Keyword {
  word: string;
  count: number;
}

/** The `k` most frequent content words; ties go to the word that appears first. */
export function topKeywords(text: string, k = 10): Keyword[] {
  return [...termFrequencies(text)]
    .map(([word, count], order) => ({ word, count, order }))
    .sort((a, b) => b.count - a.count || a.order - b.order)
    .slice(0, k)
    .map(({ word, count }) => ({ word, count }));
}

export interface TextStatistics {
  characters: number;
  words: number;
  unique_words: number;
  sentences: number;
  /** Words per sentence. */
  average_sentence_length: number;
  keywords: Keyword[];
}

/** Counts for a text: characters (Unicode code points), words, sentences and top keywords. */
export function textStatistics(text: string, k = 10): TextStatistics {
  const words = tokenize(text);
  const sentences = splitSentences(text).length;
  return {
    characters: [...text].length,
    words: words.length,
    unique_words: new Set(words).size,
    sentences,
    average_sentence_length: sentences ? words.length / sentences : 0,
    keywords: topKeywords(text, k),
  };
}
