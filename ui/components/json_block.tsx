/** A collapsible, pretty-printed JSON value (a step's input or output). */
import { prettyJson } from "../format.ts";

export function JsonBlock({ label, value }: { label: string; value: unknown }) {
  const empty = value === null || value === undefined ||
    (typeof value === "object" && Object.keys(value as object).length === 0);
  return (
    <details class="json">
      <summary>{label}{empty ? " (empty)" : ""}</summary>
      <pre><code>{prettyJson(value)}</code></pre>
    </details>
  );
}
