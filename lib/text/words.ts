/** Word tokens and content words (tokens that can be keywords). */
import { STOPWORDS } from "./stopwords.ts";

/** Lower-cased word tokens (letters and digits, inner apostrophes and hyphens kept). */
export function tokenize(text: string): string[] {
  const words = text.toLowerCase().replaceAll("’", "'").match(
    /[\p{L}\p{N}]+(?:['-][\p{L}\p{N}]+)*/gu,
  ) ?? [];
  // A possessive 's names the same thing as the bare word.
  return words.map((word) => word.endsWith("'s") ? word.slice(0, -2) : word);
}

/**
 * Words that can be keywords: not stopwords (nor in `skip`), containing a letter, at least two
 * characters.
 */
export function contentWords(text: string, skip?: ReadonlySet<string>): string[] {
  return tokenize(text).filter((word) =>
    word.length >= 2 && /\p{L}/u.test(word) && !STOPWORDS.has(word) && !skip?.has(word)
  );
}
