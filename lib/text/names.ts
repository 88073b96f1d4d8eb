/**
 * Names found as runs of capitalised words ("European Central Bank", "New York", "Bank of
 * America"). Rules, no lexicon: deterministic and fast, and blind to names written in lower case.
 */
import { MONTH } from "./dates.ts";
import { UNITS } from "./numbers.ts";
import { splitSentences } from "./sentences.ts";
import { isStopword, REQUEST_VERBS } from "./stopwords.ts";

export interface Phrase {
  text: string;
  count: number;
}

// Lower-case words that may sit inside a name: "Bank of America", "Leonardo da Vinci". Not
// "and": "New York and Paris" is two names.
const CONNECTORS = new Set(
  "of the for de del la le van von da di du &".split(" "),
);

// Capitalised by convention, not names: "in November", "on Monday".
const CALENDAR_WORD = new RegExp(
  `^(?:${MONTH}|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)$`,
  "i",
);

const isCapitalised = (word: string) => /^\p{Lu}/u.test(word) && word !== "I";

interface Token {
  text: string;
  start: number;
  end: number;
}

interface Run {
  words: string[];
  /** The run opens its sentence, so its first word is capitalised anyway. */
  initial: boolean;
  /** The token before the run is a number ("14 GW"). */
  afterNumber: boolean;
}

function sentenceTokens(sentence: string): Token[] {
  return [...sentence.matchAll(/[\p{L}\p{N}]+(?:['’.&-][\p{L}\p{N}]+)*|&/gu)].map((m) => ({
    text: m[0],
    start: m.index!,
    end: m.index! + m[0].length,
  }));
}

/** The runs of capitalised words in one sentence, with connectors inside them. */
function capitalisedRuns(sentence: string): Run[] {
  const tokens = sentenceTokens(sentence);
  const adjacent = (a: Token, b: Token) => /^[ \t]+$/.test(sentence.slice(a.end, b.start));
  const runs: Run[] = [];
  let i = 0;
  while (i < tokens.length) {
    if (!isCapitalised(tokens[i].text)) {
      i++;
      continue;
    }
    const run = [tokens[i].text];
    let j = i + 1;
    while (j < tokens.length && adjacent(tokens[j - 1], tokens[j])) {
      if (isCapitalised(tokens[j].text)) {
        run.push(tokens[j++].text);
      } else if (
        CONNECTORS.has(tokens[j].text) && j + 1 < tokens.length &&
        adjacent(tokens[j], tokens[j + 1]) && isCapitalised(tokens[j + 1].text)
      ) {
        run.push(tokens[j].text, tokens[j + 1].text);
        j += 2;
      } else break;
    }
    runs.push({
      words: run,
      initial: i === 0,
      afterNumber: i > 0 && /^\d/.test(tokens[i - 1].text),
    });
    i = j;
  }
  return runs;
}

export interface PhraseOptions {
  /**
   * More text that shows which words are names (capitalised mid-sentence there) without being
   * searched itself: the request, when the text is the material for it.
   */
  vocabulary?: readonly string[];
}

/**
 * The capitalised phrases of a text with how often each occurs, in order of first appearance.
 * A sentence's first word is capitalised anyway, so a run that opens a sentence loses its
 * leading stopwords and request verbs ("The", "In", "Research"), and a lone sentence-initial
 * word counts only when the text also capitalises it mid-sentence.
 */
export function findCapitalisedPhrases(text: string, options: PhraseOptions = {}): Phrase[] {
  const runs = splitSentences(text).flatMap(capitalisedRuns);
  const known = new Set(
    [...runs, ...(options.vocabulary ?? []).flatMap(splitSentences).flatMap(capitalisedRuns)]
      .filter((r) => !r.initial && r.words.length === 1).map((r) => r.words[0]),
  );
  const counts = new Map<string, number>();
  for (const run of runs) {
    let words = run.words;
    if (run.initial) {
      while (words.length && isFiller(words[0])) words = words.slice(1);
      if (words === run.words && !known.has(words[0])) {
        // Only a word that really opens the sentence is in doubt: "The Guardian" is a name.
        if (words.length === 1) continue;
        // "Later the United Nations": the opening word is not part of the name.
        if (words[1] === "the") words = words.slice(2);
      }
    }
    const lone = words.length === 1 ? words[0] : undefined;
    if (!words.length || (lone && (isStopword(lone) || CALENDAR_WORD.test(lone)))) continue;
    if (lone && run.afterNumber && UNITS.has(lone)) continue;
    const phrase = words.join(" ");
    counts.set(phrase, (counts.get(phrase) ?? 0) + 1);
  }
  return [...counts].map(([text, count]) => ({ text, count }));
}

function isFiller(word: string): boolean {
  const lower = word.toLowerCase();
  return isStopword(word) || CONNECTORS.has(lower) || REQUEST_VERBS.has(lower);
}

/** The `limit` most frequent phrases' texts; ties go to the one that appears first. */
export function mostMentioned(phrases: readonly Phrase[], limit: number): string[] {
  return [...phrases].sort((a, b) => b.count - a.count).slice(0, limit).map((p) => p.text);
}
