/** A timestamp said relatively ("5 min ago"); the exact UTC time is its title and datetime. */
import { formatTime, relativeTime } from "../format.ts";

export function RelativeTime({ iso, now }: { iso: string | null | undefined; now: number }) {
  if (!iso) return <span>—</span>;
  return <time dateTime={iso} title={formatTime(iso)}>{relativeTime(iso, now)}</time>;
}
