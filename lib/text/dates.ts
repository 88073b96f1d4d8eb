/** Dates written as 2025-11-02, November 2, 2025, 2 Nov 2025 or 11/02/2025, read as ISO dates. */

export interface FoundDate {
  text: string;
  /** YYYY-MM-DD. */
  iso: string;
  index: number;
}

const MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split(" ");

/** A month's name or abbreviation, as a regular-expression group. */
export const MONTH =
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
