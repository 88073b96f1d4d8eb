/** A machine-readable timestamp shown in a fixed, readable UTC form. */
import { formatTime } from "../format.ts";

export function Time({ iso }: { iso: string | null | undefined }) {
  if (!iso) return <span>—</span>;
  return <time dateTime={iso}>{formatTime(iso)}</time>;
}
