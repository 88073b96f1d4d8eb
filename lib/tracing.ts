/**
 * Spans of the project's own work, on Deno's built-in OpenTelemetry (OTEL_DENO=true: Deno
 * registers its tracer, context manager and W3C propagator with `@opentelemetry/api`, traces
 * `Deno.serve` and `fetch`, and exports OTLP as the standard OTEL_* variables say). Off, the
 * API is a no-op: a span costs a function call, and no trace context exists to carry.
 */
import {
  type Attributes,
  type Context,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from "@opentelemetry/api";

export { SpanKind };
export type { Span };

const tracer = () => trace.getTracer("multi-agent-orchestrator");

/** The W3C `traceparent` of `ctx` (default: the active context), or null when untraced. */
export function traceparentOf(ctx: Context = context.active()): string | null {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier.traceparent ?? null;
}

/** A context whose parent is the span a `traceparent` names (the root context when none). */
export function contextFrom(traceparent: string | null | undefined): Context {
  if (!traceparent) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, { traceparent });
}

/**
 * Runs `work` in a new active span (a child of `parent`, default the active context); an error
 * marks the span failed and is thrown on. The span ends when `work` settles.
 */
export function inSpan<T>(
  name: string,
  options: { attributes?: Attributes; parent?: Context; kind?: SpanKind },
  work: (span: Span) => Promise<T>,
): Promise<T> {
  return tracer().startActiveSpan(
    name,
    { attributes: options.attributes, kind: options.kind },
    options.parent ?? context.active(),
    async (span) => {
      try {
        return await work(span);
      } catch (error) {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({
          code: SpanStatusCode.ERROR,
          message: error instanceof Error ? error.message : String(error),
        });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/**
 * `inSpan` under a traced parent, else `work` alone: for spans that mean something only inside
 * a trace (graph nodes, which may run on a worker thread that has none).
 */
export function inChildSpan<T>(
  name: string,
  attributes: Attributes,
  work: () => Promise<T>,
): Promise<T> {
  if (!trace.getActiveSpan()) return work();
  return inSpan(name, { attributes }, work);
}

/** A span started now and ended by the caller (for work that begins and ends in callbacks). */
export function startSpan(name: string, attributes?: Attributes): Span {
  return tracer().startSpan(name, { attributes }, context.active());
}

/** `trace_id` and `span_id` of the active span, for a log line; none when untraced. */
export function activeTraceIds(): { trace_id: string; span_id: string } | undefined {
  const span = trace.getActiveSpan()?.spanContext();
  if (!span || !trace.isSpanContextValid(span)) return undefined;
  return { trace_id: span.traceId, span_id: span.spanId };
}
