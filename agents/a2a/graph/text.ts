/**
 * Deterministic text work for the offline path: sentences, keywords, entities, figures and
 * sentence ranking. Pure functions, stable ordering (ties break alphabetically or by position),
 * so the same input always yields the same report.
 */

const STOPWORDS = new Set(
  (
    "a about above after again against all also am an and any are as at be because been before " +
    "being below between both but by can could did do does doing down during each few for from " +
    "further had has have having he her here hers herself him himself his how i if in into is it " +
    "its itself just me more most my myself no nor not now of off on once only or other our ours " +
    "ourselves out over own same she should so some such than that the their theirs them " +
    "themselves then there these they this those through to too under until up very was we were " +
    "what when where which while who whom why will with would you your yours yourself yourselves " +
    "may might must shall us via per etc e.g i.e one two three many much well get got make made " +
    "use used using please provide give tell find research analyse analyze analysis summarize " +
    "summarise summary report describe explain step task input data context according"
  ).split(/\s+/),
);

/** Splits text into sentences on end punctuation and line breaks; bullets become sentences. */
export function splitSentences(text: string): string[] {
  return text
    .split(/\n+|(?<=[.!?])\s+(?=["'(\[]?[A-Z0-9])/)
    .map((s) => s.replace(/^\s*(?:[-*•]|\d+[.)])\s+/, "").replace(/\s+/g, " ").trim())
    .filter((s) => /[A-Za-z0-9]/.test(s));
}

/** Lower-case content words (no stopwords, no bare numbers). */
export function tokenize(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}][\p{L}\p{N}'-]*/gu) ?? [])
    .map((w) => w.replace(/'s$/, "").replace(/^[-']+|[-']+$/g, ""))
    .filter((w) => w.length > 2 && !STOPWORDS.has(w));
}

/** Term frequencies over texts, each text's terms weighted by `weight`; heaviest first. */
export function keywordWeights(
  texts: { text: string; weight?: number }[],
  limit = 10,
): { term: string; weight: number }[] {
  const weights = new Map<string, number>();
  for (const { text, weight = 1 } of texts) {
    for (const term of tokenize(text)) weights.set(term, (weights.get(term) ?? 0) + weight);
  }
  return [...weights.entries()]
    .map(([term, weight]) => ({ term, weight }))
    .sort((a, b) => b.weight - a.weight || a.term.localeCompare(b.term))
    .slice(0, limit);
}

/** Capitalised phrases ("European Union", "Tesla"), most frequent first, excluding words that
 * are capitalised only because they start a sentence. */
export function extractEntities(texts: string[], limit = 8, vocabulary: string[] = []): string[] {
  const counts = new Map<string, number>();
  const firstSeen = new Map<string, number>();
  let position = 0;
  // A capitalised first word of a sentence is a name only if it is also capitalised mid-sentence.
  const midSentence = new Set(
    [...texts, ...vocabulary].flatMap(splitSentences)
      .flatMap((sentence) => sentence.split(/\s+/).slice(1))
      .map((word) => word.replace(/[^\p{L}\p{N}&'-]/gu, ""))
      .filter((word) => /^\p{Lu}/u.test(word)),
  );
  for (const sentence of texts.flatMap(splitSentences)) {
    const pattern = /\b[A-Z][\p{L}\p{N}&'-]*(?:\s+(?:of|and|for|de)?\s*[A-Z][\p{L}\p{N}&'-]*)*/gu;
    for (const match of sentence.matchAll(pattern)) {
      const phrase = match[0].trim();
      const words = phrase.split(/\s+/);
      const sentenceStart = match.index === 0;
      if (words.length === 1 && STOPWORDS.has(phrase.toLowerCase())) continue;
      if (words.length === 1 && sentenceStart && !midSentence.has(phrase)) continue;
      if (words.length === 1 && phrase.length < 2) continue;
      const cleaned = sentenceStart && STOPWORDS.has(words[0].toLowerCase())
        ? words.slice(1).join(" ")
        : phrase;
      if (!cleaned || (cleaned.split(" ").length === 1 && cleaned.length < 2)) continue;
      counts.set(cleaned, (counts.get(cleaned) ?? 0) + 1);
      if (!firstSeen.has(cleaned)) firstSeen.set(cleaned, position++);
    }
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || firstSeen.get(a[0])! - firstSeen.get(b[0])!)
    .slice(0, limit)
    .map(([phrase]) => phrase);
}

/** Numbers with their currency or unit ("42%", "$3.5 million", "2024"), in order of appearance. */
export function extractFigures(texts: string[], limit = 8): string[] {
  const pattern =
    /(?:[$€£]\s?)?\d+(?:[.,]\d+)*(?:\s?(?:%|percent|million|billion|thousand|trillion|bn|gw|mw|kwh|twh|km|kg|tons?|years?|hours?|days?|users?|people))?/gi;
  const seen: string[] = [];
  for (const text of texts) {
    for (const match of text.matchAll(pattern)) {
      const figure = match[0].trim();
      if (!seen.includes(figure)) seen.push(figure);
    }
  }
  return seen.slice(0, limit);
}

/** Sentences scored by the weight of the keywords they contain, normalised by length, with a
 * small bonus for figures; best first, earlier sentences winning ties. */
export function rankSentences(
  sentences: string[],
  weights: { term: string; weight: number }[],
): { sentence: string; score: number }[] {
  const byTerm = new Map(weights.map((w) => [w.term, w.weight]));
  const unique = [...new Set(sentences)];
  return unique
    .map((sentence, index) => {
      const terms = tokenize(sentence);
      const distinct = new Set(terms);
      let score = 0;
      for (const term of distinct) score += byTerm.get(term) ?? 0;
      score = terms.length ? score / Math.sqrt(terms.length) : 0;
      if (/\d/.test(sentence)) score *= 1.1;
      return { sentence, score: Math.round(score * 1000) / 1000, index };
    })
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map(({ sentence, score }) => ({ sentence, score }));
}

/** Shortens text to at most `max` characters on a word boundary. */
export function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(" "), max / 2))}…`;
}

/** The lines of a model's answer without bullets or numbering. */
export function answerLines(text: string): string[] {
  return text
    .split(/\n+/)
    .map((line) => line.replace(/^\s*(?:[-*•]|\d+[.)]|#+)\s*/, "").trim())
    .filter(Boolean);
}
