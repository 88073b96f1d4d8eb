/** Keywords by term frequency: plain counts for one text, or weighted over several texts. */
import { contentWords } from "./words.ts";

/** How often each content word occurs, in order of first appearance. */
export function termFrequencies(text: string, skip?: ReadonlySet<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const word of contentWords(text, skip)) counts.set(word, (counts.get(word) ?? 0) + 1);
  return counts;
}

export interface Keyword {
  word: string;
  count: number;
}

export interface WeightedKeyword {
  word: string;
  weight: number;
}

export interface KeywordOptions {
  /** How many keywords at most (default 10). */
  limit?: number;
  /** Words to leave out besides the stopwords. */
  skip?: ReadonlySet<string>;
}

/**
 * The heaviest content words over several texts, each occurrence counting its text's `weight`
 * (default 1); ties go to the word that appears first.
 */
export function weightedKeywords(
  texts: readonly { text: string; weight?: number }[],
  { limit = 10, skip }: KeywordOptions = {},
): WeightedKeyword[] {
  const weights = new Map<string, number>();
  for (const { text, weight = 1 } of texts) {
    for (const word of contentWords(text, skip)) {
      weights.set(word, (weights.get(word) ?? 0) + weight);
    }
  }
  // A stable sort keeps equal weights in order of first appearance.
  return [...weights]
    .map(([word, weight]) => ({ word, weight }))
    .sort((a, b) => b.weight - a.weight)
    .slice(0, limit);
}

/** The `k` most frequent content words of one text; ties go to the word that appears first. */
export function topKeywords(text: string, k = 10): Keyword[] {
  return weightedKeywords([{ text }], { limit: k }).map(({ word, weight }) => ({
    word,
    count: weight,
  }));
}
