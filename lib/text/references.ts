/**
 * Whether a request refers back to earlier work ("summarize that", "explain it further", "the
 * above"), so a conversation's earlier answer is its material; a request that does not is kept
 * apart from the past.
 */

/** Phrases that can only point back at earlier turns. */
const BACK_PHRASES =
  /\b(?:the above|above (?:text|answer|result|summary|analysis|report)|(?:your|the) (?:previous|last|earlier) (?:answer|reply|response|result|summary|analysis|report)|what you (?:said|found|wrote)|(?:you|we) (?:just )?(?:found|said|wrote|discussed)|as before|same (?:text|data|numbers))\b/i;

/**
 * A pronoun standing alone as an object: followed by the end, punctuation, or a word that
 * cannot start the noun it would determine ("summarize that in one sentence", "explain it
 * again"). "Find evidence that solar is cheap" and "analyze these numbers" do not match.
 */
const PRONOUN_OBJECT =
  /\b(?:that|this|it|these|those|them)(?=\s*(?:$|[.,;:!?)]|\s(?:in|into|to|for|as|with|again|further|more|briefly|please|up|down|now|and|or|but|by|using|so|shorter|simpler|differently|here|once|one|two|three)\b))/i;

/** Words that start a request meant to continue the conversation. */
const CONTINUATION = /^\s*(?:now|then|also|and|next|again|ok(?:ay)?|great|thanks)\b[, ]/i;

/** True when `request` points back at the conversation's earlier answer. */
export function refersBack(request: string): boolean {
  const text = request.trim();
  if (BACK_PHRASES.test(text)) return true;
  if (!PRONOUN_OBJECT.test(text)) return false;
  // "Research X and summarize it" points inside itself: a pronoun after "and"/"then" whose
  // clause follows a clause of its own with a subject is not a reference back, unless the
  // request opens as a continuation ("Now summarize that").
  const inner = /\b(?:and|then)\b[^.;!?]*\b(?:that|this|it|these|those|them)\b/i.test(text);
  return !inner || CONTINUATION.test(text);
}
