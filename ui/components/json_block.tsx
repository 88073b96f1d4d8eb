/** A collapsible, pretty-printed JSON value (a step's input or output). */
import { prettyJson } from "../format.ts";

export function JsonBlock(
  { label, value, open }: { label: string; value: unknown; open?: boolean },
) {
  const empty = value === null || value === undefined ||
    (typeof value === "object" && Object.keys(value as object).length === 0);
  return (
    <details class="json" open={open}>
      <summary>{label}{empty ? " (empty)" : ""}</summary>
      <pre tabIndex={0}><code>{prettyJson(value)}</code></pre>
    </details>
  );
}
