/**
 * Numbers in text: plain, decimal, percentages, currency amounts and quantities with a unit
 * ("14 GW", "3 million people"); and figures, the dates and numbers a text cites.
 */
import { findDates, type FoundDate, withoutDates } from "./dates.ts";

export interface FoundNumber {
  text: string;
  value: number;
  kind: "number" | "percentage" | "currency";
  /** ISO code for currency amounts ("USD" for "$"). */
  currency?: string;
  /** What a quantity counts ("GW", "years"). */
  unit?: string;
  index: number;
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

/** Units a quantity may carry after its number; also never names ("14 GW" names no "GW"). */
export const UNITS: ReadonlySet<string> = new Set(
  (
    "W kW MW GW TW Wh kWh MWh GWh TWh km kg tons tonnes litres liters years months weeks days " +
    "hours minutes users people"
  ).split(" "),
);
// Longest first, so "kWh" is not read as "kW"; the singulars ("1 year") as well.
const UNIT_PATTERN = [...UNITS]
  .flatMap((unit) => /s$/.test(unit) ? [unit, unit.slice(0, -1)] : [unit])
  .sort((a, b) => b.length - a.length)
  .join("|");

const NUMBER_PATTERN = new RegExp(
  // Not inside a word or another number ("COVID-19", "v2", "1.2.3").
  String.raw`(?<![\p{L}\p{N}.,])(?<!\p{L}-)` +
    String.raw`(?:(?<symbol>[$€£¥₹])\s?|(?<pre>${CURRENCY_CODES})\s?)?` +
    String.raw`(?<sign>[-+−])?(?<digits>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)(?![\d.,]\d)` +
    String.raw`(?:\s?(?<percent>%|percent\b|per cent\b))?` +
    String.raw`(?:\s(?<word>thousand|million|billion|trillion)\b|(?<suffix>k|K|M|bn|B)\b)?` +
    String.raw`(?:\s(?<post>${CURRENCY_CODES})\b)?` +
    String.raw`(?:\s?(?<unit>${UNIT_PATTERN})\b)?`,
  "gu",
);

/** Numbers in the text, dates excluded, in order of appearance. */
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
      ...(g.unit && !g.percent && { unit: g.unit }),
      index: match.index!,
    });
  }
  return found;
}

/** The dates and numbers the texts cite ("14 GW", "40%", "2 Nov 2025"), each once, in order. */
export function findFigures(texts: readonly string[], limit = 8): string[] {
  const seen = new Set<string>();
  for (const text of texts) {
    const dates = findDates(text);
    const found = [...dates, ...findNumbers(text, dates)].sort((a, b) => a.index - b.index);
    for (const { text: figure } of found) {
      seen.add(figure);
      if (seen.size === limit) return [...seen];
    }
  }
  return [...seen];
}
