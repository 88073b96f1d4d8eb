/**
 * Words that carry no topic: English function words (skipped by every keyword and score) and the
 * vocabulary of requests ("research", "summarize", "task"), which a caller may skip as well.
 */

/** Common English function words; they carry no topic, so keywords and scores skip them. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    "a about above according after again against all almost also although am among an and " +
    "another any are aren't around as at be because been before being below between both but " +
    "by can can't cannot could couldn't did didn't do does doesn't doing don't down during " +
    "each either else etc even ever every few for from further get gets got had hadn't has " +
    "hasn't have haven't having he he'd he'll he's her here here's hers herself him himself his " +
    "how how's however i i'd i'll i'm i've if in into is isn't it it's its itself just " +
    "let's like many may me might more most much must mustn't my myself neither no nor not now " +
    "of off often on once one only or other ought our ours ourselves out over own per quite " +
    "rather really same shall shan't she she'd she'll she's should shouldn't since so some " +
    "such than that that's the their theirs them themselves then there there's these they " +
    "they'd they'll they're they've this those though through thus to too toward towards " +
    "under until up upon us very via was wasn't we we'd we'll we're we've were weren't what " +
    "what's when when's where where's whether which while who who's whom whose why why's " +
    "will with within without won't would wouldn't yet you you'd you'll you're you've your " +
    "yours yourself yourselves " +
    // Titles: "Dr. Smith" tokenizes as "dr", "smith".
    "dr mr mrs ms prof"
  ).split(" "),
);

export function isStopword(word: string): boolean {
  return STOPWORDS.has(word.toLowerCase().replaceAll("’", "'"));
}

/** Verbs a request opens with ("Research X", "Summarize Y"): never the start of a name. */
export const REQUEST_VERBS: ReadonlySet<string> = new Set(
  (
    "analyse analyze assess compare describe evaluate examine explain explore extract find " +
    "give identify investigate list outline please provide research review summarise " +
    "summarize tell"
  ).split(" "),
);

/**
 * The words requests are made of: the verbs, and what they ask for ("list the main findings of
 * the data"). In the text of a request they name the job, not its subject.
 */
export const REQUEST_WORDS: ReadonlySet<string> = new Set([
  ...REQUEST_VERBS,
  ...(
    "analysis context data findings input insights key main overview points report step " +
    "summary task"
  ).split(" "),
]);
