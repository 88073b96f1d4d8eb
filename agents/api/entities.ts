/**
 * Finds dates, numbers (amounts, percentages) and capitalised phrases (proper-noun runs) in
 * text. Regular expressions and a few rules; deterministic and fast.
 */
import { isStopword, splitSentences } from "./text.ts";

export interface FoundDate {
  text: string;
  /** YYYY-MM-DD. */
  iso: string;
  index: number;
}

export interface FoundNumber {
  text: string;
  value: number;
  kind: "number" | "percentage" | "currency";
  /** ISO code for currency amounts ("USD" for "$"). */
  currency?: string;
  index: number;
}

export interface Phrase {
  text: string;
  count: number;
}

const MONTHS = [
  "jan",
  "feb",
  "mar",
  "apr",
  "may",
  "jun",
  "jul",
  "aug",
  "sep",
  "oct",
  "nov",
  "dec",
];
const MONTH =
  "(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)";

const monthNumber = (name: string) => MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;

function isoDate(year: number, month: number, day: number): string | undefined {
  if (month < 1 || month > 12 || day < 1) return undefined;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return undefined;
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

// Each pattern yields [year, month, day] from its match, or undefined for an impossible date.
const DATE_PATTERNS: [RegExp, (m: RegExpMatchArray) => [number, number, number] | undefined][] = [
  [/\b(\d{4})-(\d{2})-(\d{2})\b/g, (m) => [+m[1], +m[2], +m[3]]],
  [
    new RegExp(`\\b${MONTH}\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})\\b`, "gi"),
    (m) => [+m[3], monthNumber(m[1]), +m[2]],
  ],
  [
    new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH}\\.?,?\\s+(\\d{4})\\b`, "gi"),
    (m) => [+m[3], monthNumber(m[2]), +m[1]],
  ],
  // Slashed dates are read month first (11/02/2025 is 2 November), as in the US, unless the
  // first number cannot be a month (25/12/2025).
  [/\b(\d{1,2})\/(\d{1,2})\/(\d{4})\b/g, (m) => {
    const [first, second, year] = [+m[1], +m[2], +m[3]];
    return first > 12 ? [year, second, first] : [year, first, second];
  }],
];

/** Dates in the text, in order of appearance. */
export function findDates(text: string): FoundDate[] {
  const found: FoundDate[] = [];
  // Characters already inside a date: a later pattern must not read part of it again.
  const taken = new Uint8Array(text.length);
  for (const [pattern, parts] of DATE_PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      const ymd = parts(match);
      const iso = ymd && isoDate(...ymd);
      const index = match.index!;
      const end = index + match[0].length;
      if (!iso || taken.subarray(index, end).some(Boolean)) continue;
      taken.fill(1, index, end);
      found.push({ text: match[0], iso, index });
    }
  }
  return found.sort((a, b) => a.index - b.index);
}

/** The text with each date blanked out by `fill` (same length, so indices still hold). */
export function withoutDates(text: string, dates: FoundDate[], fill = " "): string {
  const pieces: string[] = [];
  let at = 0;
  for (const date of [...dates].sort((a, b) => a.index - b.index)) {
    pieces.push(text.slice(at, date.index), fill.repeat(date.text.length));
    at = date.index + date.text.length;
  }
  pieces.push(text.slice(at));
  return pieces.join("");
}

const CURRENCY_SYMBOLS: Record<string, string> = {
  "$": "USD",
  "€": "EUR",
  "£": "GBP",
  "¥": "JPY",
  "₹": "INR",
};
const CURRENCY_CODES = "USD|EUR|GBP|JPY|INR|CHF|CAD|AUD|CNY";
const SCALES: Record<string, number> = {
  thousand: 1e3,
  k: 1e3,
  million: 1e6,
  m: 1e6,
  billion: 1e9,
  bn: 1e9,
  b: 1e9,
  trillion: 1e12,
};

const NUMBER_PATTERN = new RegExp(
  // Not inside a word or another number ("COVID-19", "v2", "1.2.3").
  String.raw`(?<![\p{L}\p{N}.,])(?<!\p{L}-)` +
    String.raw`(?:(?<symbol>[$€£¥₹])\s?|(?<pre>${CURRENCY_CODES})\s?)?` +
    String.raw`(?<sign>[-+−])?(?<digits>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)(?![\d.,]\d)` +
    String.raw`(?:\s?(?<percent>%|percent\b|per cent\b))?` +
    String.raw`(?:\s(?<word>thousand|million|billion|trillion)\b|(?<suffix>k|K|M|bn|B)\b)?` +
    String.raw`(?:\s(?<post>${CURRENCY_CODES})\b)?`,
  "gu",
);

/** Numbers in the text, dates excluded: plain, decimal, percentages and currency amounts. */
export function findNumbers(text: string, dates: FoundDate[] = findDates(text)): FoundNumber[] {
  // Blank out the dates so their digits are not read again as numbers.
  const masked = withoutDates(text, dates);
  const found: FoundNumber[] = [];
  for (const match of masked.matchAll(NUMBER_PATTERN)) {
    const g = match.groups!;
    let value = Number(g.digits.replaceAll(",", ""));
    if (g.sign === "-" || g.sign === "−") value = -value;
    const scale = g.word ?? g.suffix;
    if (scale) value *= SCALES[scale.toLowerCase()];
    const currency = g.symbol ? CURRENCY_SYMBOLS[g.symbol] : g.pre ?? g.post;
    found.push({
      text: match[0].trim(),
      value,
      kind: g.percent ? "percentage" : currency ? "currency" : "number",
      ...(currency && !g.percent && { currency }),
      index: match.index!,
    });
  }
  return found;
}

// Lower-case words that may sit inside a name: "Bank of America", "Leonardo da Vinci". Not
// "and": "New York and Paris" is two names.
const CONNECTORS = new Set([
  "of",
  "the",
  "for",
  "de",
  "del",
  "la",
  "le",
  "van",
  "von",
  "da",
  "di",
  "du",
  "&",
]);

// Capitalised by convention, not names: "in November", "on Monday".
const CALENDAR_WORD = new RegExp(
  `^(?:${MONTH}|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)$`,
  "i",
);
const isCalendarWord = (word: string) => CALENDAR_WORD.test(word);

const isCapitalised = (word: string) => /^\p{Lu}/u.test(word) && word !== "I";

interface Token {
  text: string;
  start: number;
  end: number;
}

function sentenceTokens(sentence: string): Token[] {
  return [...sentence.matchAll(/[\p{L}\p{N}]+(?:['’.&-][\p{L}\p{N}]+)*|&/gu)].map((m) => ({
    text: m[0],
    start: m.index!,
    end: m.index! + m[0].length,
  }));
}

/**
 * Runs of capitalised words ("European Central Bank", "New York", "Bank of America").
 * A sentence's first word is capitalised anyway, so a run that starts a sentence loses its
 * leading stopwords ("The", "In"), and a lone sentence-initial word counts only when the text
 * also capitalises it mid-sentence.
 */
export function findCapitalisedPhrases(text: string): Phrase[] {
  const sentences = splitSentences(text);
  const runs: { words: string[]; initial: boolean }[] = [];
  for (const sentence of sentences) {
    const tokens = sentenceTokens(sentence);
    const adjacent = (a: Token, b: Token) => /^[ \t]+$/.test(sentence.slice(a.end, b.start));
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
      runs.push({ words: run, initial: i === 0 });
      i = j;
    }
  }

  const midSentence = new Set(
    runs.filter((r) => !r.initial && r.words.length === 1).map((r) => r.words[0]),
  );
  const counts = new Map<string, number>();
  for (const run of runs) {
    let words = run.words;
    if (run.initial) {
      while (words.length && (isStopword(words[0]) || CONNECTORS.has(words[0].toLowerCase()))) {
        words = words.slice(1);
      }
      // Only a word that really opens the sentence is in doubt: "The Guardian" is a name.
      if (words === run.words && words.length === 1 && !midSentence.has(words[0])) continue;
    }
    if (
      !words.length || (words.length === 1 && (isStopword(words[0]) || isCalendarWord(words[0])))
    ) {
      continue;
    }
    const phrase = words.join(" ");
    counts.set(phrase, (counts.get(phrase) ?? 0) + 1);
  }
  return [...counts].map(([text, count]) => ({ text, count }));
}
