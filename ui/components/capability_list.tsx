/** Every capability and whether an active agent serves it; a gap is flagged in words. */
import type { Coverage } from "../capability_coverage.ts";

export function CapabilityList({ coverage }: { coverage: Coverage[] }) {
  const gaps = coverage.filter((c) => c.active.length === 0).length;
  return (
    <section class="card capabilities" aria-labelledby="capabilities-heading">
      <h2 id="capabilities-heading">Capabilities</h2>
      {gaps > 0 && (
        <p class="notice notice-error" role="status">
          {gaps === 1 ? "1 capability has" : `${gaps} capabilities have`}{" "}
          no active agent: requests needing it cannot run.
        </p>
      )}
      <ul class="capability-list">
        {coverage.map((c) => (
          <li
            key={c.capability}
            data-capability={c.capability}
            data-covered={c.active.length > 0 ? "true" : "false"}
            class={c.active.length > 0 ? "" : "capability-gap"}
          >
            <strong>{c.capability}</strong> {c.active.length > 0
              ? <span class="muted">{c.active.join(", ")}</span>
              : <span class="badge badge-error">no active agent</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
