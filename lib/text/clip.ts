/** Shortening text for display. */

/**
 * The text on one line, at most `max` characters: cut at the last word boundary, or mid-word
 * when that boundary would lose more than half, and marked with "…".
 */
export function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${space >= max / 2 ? cut.slice(0, space) : cut}…`;
}
