/**
 * The orchestrator's side of tracing (Deno's built-in OpenTelemetry, on with OTEL_DENO=true):
 * the W3C `traceparent` of the span in force, stored with a task at submit so its steps, run
 * later or on another process, join the submitting request's trace. Off, there is none.
 */
import { trace } from "@opentelemetry/api";

/** `00-<trace id>-<span id>-<flags>` of the active span, or null when nothing is traced. */
export function currentTraceparent(): string | null {
  const span = trace.getActiveSpan()?.spanContext();
  if (!span || !trace.isSpanContextValid(span)) return null;
  return `00-${span.traceId}-${span.spanId}-${span.traceFlags.toString(16).padStart(2, "0")}`;
}
