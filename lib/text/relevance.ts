/**
 * Sentences ranked by how well they match given keywords (a request's terms): the summed weight
 * of the distinct keywords a sentence holds, normalised by its length, with a small bonus for
 * citing a figure.
 */
import type { WeightedKeyword } from "./keywords.ts";
import { contentWords } from "./words.ts";

/** A sentence with a digit in it scores this much more: figures are what findings cite. */
export const FIGURE_BONUS = 1.1;

/** Each distinct sentence with its score (3 decimals), best first, earlier winning ties. */
export function rankSentences(
  sentences: readonly string[],
  keywords: readonly WeightedKeyword[],
  skip?: ReadonlySet<string>,
): { sentence: string; score: number }[] {
  const byWord = new Map(keywords.map((k) => [k.word, k.weight]));
  return [...new Set(sentences)]
    .map((sentence, index) => {
      const words = contentWords(sentence, skip);
      let score = 0;
      for (const word of new Set(words)) score += byWord.get(word) ?? 0;
      score = words.length ? score / Math.sqrt(words.length) : 0;
      if (/\d/.test(sentence)) score *= FIGURE_BONUS;
      return { sentence, score: Math.round(score * 1000) / 1000, index };
    })
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map(({ sentence, score }) => ({ sentence, score }));
}
