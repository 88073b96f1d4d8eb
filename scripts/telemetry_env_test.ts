import { assertEquals } from "@app/lib/assert";
import { telemetryEnv } from "./telemetry_env.ts";

Deno.test("[dev] OTEL_* settings pass through; each service is named unless a name is set", () => {
  const env = {
    OTEL_DENO: "true",
    OTEL_EXPORTER_OTLP_ENDPOINT: "http://localhost:4318",
    OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
    DATABASE_URL: "sqlite:./x.db",
  };
  assertEquals(telemetryEnv(env, "a2a-agent"), {
    OTEL_DENO: "true",
    OTEL_EXPORTER_OTLP_ENDPOINT: "http://localhost:4318",
    OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
    OTEL_SERVICE_NAME: "a2a-agent",
  });
  assertEquals(telemetryEnv({ OTEL_SERVICE_NAME: "mine" }, "ui"), { OTEL_SERVICE_NAME: "mine" });
});
