/**
 * What `deno task dev` adds to a service's environment for OpenTelemetry: every OTEL_* setting
 * of the environment or `.env` (Deno reads them at start-up, before any code runs, so `.env`
 * alone would not reach it), and OTEL_SERVICE_NAME defaulting to the service's own name.
 */
export function telemetryEnv(
  env: Record<string, string>,
  service: string,
): Record<string, string> {
  const otel = Object.fromEntries(Object.entries(env).filter(([key]) => key.startsWith("OTEL_")));
  return { ...otel, OTEL_SERVICE_NAME: otel.OTEL_SERVICE_NAME || service };
}
