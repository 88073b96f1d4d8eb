/**
 * The longest request the orchestrator takes (its `description`, 20,000 characters). The box
 * counts towards it and refuses more, instead of a `maxlength` that silently cuts a paste.
 */
export const MAX_REQUEST_CHARS = 20_000;

export function requestTooLong(text: string): string | null {
  const over = text.length - MAX_REQUEST_CHARS;
  return over > 0
    ? `Your request is ${over.toLocaleString("en")} characters over the limit of ${
      MAX_REQUEST_CHARS.toLocaleString("en")
    }: shorten it, or send it in parts.`
    : null;
}
