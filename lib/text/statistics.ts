/** Counts for a text: characters, words, sentences and its top keywords. */
import { type Keyword, topKeywords } from "./keywords.ts";
import { splitSentences } from "./sentences.ts";
import { tokenize } from "./words.ts";

export interface TextStatistics {
  characters: number;
  words: number;
  unique_words: number;
  sentences: number;
  /** Words per sentence. */
  average_sentence_length: number;
  keywords: Keyword[];
}

/** Characters are Unicode code points; words are every token, stopwords included. */
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
