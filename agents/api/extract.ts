/** The extract operation: keywords, capitalised phrases, numbers and dates found in the text. */
import {
  findCapitalisedPhrases,
  findDates,
  findNumbers,
  mostMentioned,
  topKeywords,
  withoutDates,
} from "@app/lib/text";
import { listing, plural } from "./format.ts";
import type { OperationRequest, OperationResponse } from "./request.ts";
import { requestText } from "./summarize.ts";

const MAX_LISTED = 8;
/** At most this many of each kind in `result`; the totals say how many there were. */
export const MAX_RESULTS = 200;

const unique = (items: string[]) => [...new Set(items)];

export function extract(request: OperationRequest): Promise<OperationResponse> {
  const text = requestText(request, "extract from");
  const dates = findDates(text);
  const numbers = findNumbers(text, dates);
  // Dates are reported as dates; their month names are neither keywords nor names.
  // Filled with ";" rather than spaces, so no name runs across a removed date.
  const rest = withoutDates(text, dates, ";");
  const keywords = topKeywords(rest, request.options.top_k ?? 10);
  const phrases = findCapitalisedPhrases(rest);

  const found = [
    plural(keywords.length, "keyword"),
    plural(phrases.length, "capitalised phrase"),
    plural(numbers.length, "number"),
    plural(dates.length, "date"),
  ];
  const insights: string[] = [];
  if (keywords.length) {
    insights.push(`Keywords: ${keywords.slice(0, MAX_LISTED).map((k) => k.word).join(", ")}`);
  }
  if (phrases.length) {
    insights.push(`Names: ${phrases.slice(0, MAX_LISTED).map((p) => p.text).join(", ")}`);
  }
  const amounts = unique(numbers.filter((n) => n.kind !== "number").map((n) => n.text));
  if (amounts.length) {
    insights.push(`Amounts and percentages: ${amounts.slice(0, MAX_LISTED).join(", ")}`);
  }
  const plain = unique(numbers.filter((n) => n.kind === "number").map((n) => n.text));
  if (plain.length) insights.push(`Other numbers: ${plain.slice(0, MAX_LISTED).join(", ")}`);
  if (dates.length) {
    insights.push(`Dates: ${unique(dates.map((d) => d.iso)).slice(0, MAX_LISTED).join(", ")}`);
  }

  return Promise.resolve({
    operation: "extract",
    summary: `Found ${listing(found)}.` +
      (phrases.length ? ` Most mentioned names: ${listing(mostMentioned(phrases, 3))}.` : ""),
    insights,
    result: {
      keywords,
      phrases: phrases.slice(0, MAX_RESULTS),
      numbers: numbers.slice(0, MAX_RESULTS).map(({ index: _index, ...n }) => n),
      dates: dates.slice(0, MAX_RESULTS).map(({ index: _index, ...d }) => d),
      totals: { phrases: phrases.length, numbers: numbers.length, dates: dates.length },
    },
    offline: true,
  });
}
