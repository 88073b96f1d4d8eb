/**
 * Extractive summarization: every sentence is scored by the keyword weight of its words
 * (term frequency over the whole text, stopwords removed, scaled so the top word weighs 1),
 * averaged over its content words, plus a bonus for coming early; the best sentences are
 * returned in their original order.
 */
import { termFrequencies } from "./keywords.ts";
import { splitSentences } from "./sentences.ts";
import { contentWords } from "./words.ts";

/** The first sentence gets this bonus, falling linearly to POSITION_BONUS / n for the last. */
export const POSITION_BONUS = 0.2;

export interface ScoredSentence {
  /** Position among the text's sentences, from 0. */
  index: number;
  text: string;
  score: number;
}

/** Every sentence with its score, in original order. */
export function scoreSentences(text: string): ScoredSentence[] {
  const sentences = splitSentences(text);
  const frequencies = termFrequencies(text);
  let top = 0;
  for (const count of frequencies.values()) top = Math.max(top, count);
  const n = sentences.length;
  return sentences.map((sentence, index) => {
    const words = contentWords(sentence);
    const keywordWeight = words.length
      ? words.reduce((total, word) => total + (frequencies.get(word) ?? 0) / top, 0) /
        words.length
      : 0;
    return { index, text: sentence, score: keywordWeight + POSITION_BONUS * (n - index) / n };
  });
}

export interface ExtractiveSummary {
  /** The chosen sentences, in original order. */
  selected: ScoredSentence[];
  sentence_count: number;
}

/** The `maxSentences` best sentences (ties go to the earlier one), in original order. */
export function extractiveSummary(text: string, maxSentences = 3): ExtractiveSummary {
  const scored = scoreSentences(text);
  const selected = [...scored]
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, maxSentences)
    .sort((a, b) => a.index - b.index);
  return { selected, sentence_count: scored.length };
}
