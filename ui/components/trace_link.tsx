/** A task's trace: a link when TRACE_URL_TEMPLATE is set, else its id; nothing untraced. */
import type { IslandTask } from "../types.ts";

export function TraceLink({ task }: { task: Pick<IslandTask, "trace_id" | "trace_url"> }) {
  if (task.trace_url) {
    return (
      <a class="trace-link" href={task.trace_url} target="_blank" rel="noopener noreferrer">
        View trace
      </a>
    );
  }
  if (task.trace_id) return <span class="trace-id muted">trace {task.trace_id}</span>;
  return null;
}
