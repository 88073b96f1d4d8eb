/** A status as words and colour (never colour alone, for those who cannot tell them apart). */
export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge badge-${status}`}>{status}</span>;
}
