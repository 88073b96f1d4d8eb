/**
 * The text toolkit both agents use for their offline work: sentences, words, keywords, names,
 * numbers and dates, sentence ranking. Pure and deterministic: the same text, the same answer.
 */
export { clip } from "./clip.ts";
export { findDates, type FoundDate, withoutDates } from "./dates.ts";
export {
  type Keyword,
  type KeywordOptions,
  termFrequencies,
  topKeywords,
  type WeightedKeyword,
  weightedKeywords,
} from "./keywords.ts";
export { findCapitalisedPhrases, mostMentioned, type Phrase, type PhraseOptions } from "./names.ts";
export { findFigures, findNumbers, type FoundNumber, UNITS } from "./numbers.ts";
export { rankSentences } from "./relevance.ts";
export { splitSentences } from "./sentences.ts";
export { type TextStatistics, textStatistics } from "./statistics.ts";
export { isStopword, REQUEST_VERBS, REQUEST_WORDS, STOPWORDS } from "./stopwords.ts";
export {
  type ExtractiveSummary,
  extractiveSummary,
  POSITION_BONUS,
  type ScoredSentence,
  scoreSentences,
} from "./summary.ts";
export { contentWords, tokenize } from "./words.ts";
export { hasMaterial, numberSeries, type RequestMaterial, requestMaterial } from "./material.ts";
export { refersBack } from "./references.ts";
