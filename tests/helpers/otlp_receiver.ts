/**
 * A real OTLP/HTTP receiver for tests: services export to it as they would to a collector,
 * in `http/json` or `http/protobuf` (decoded here with a small reader of the protobuf wire
 * format, for the fields a test asserts on), and it keeps every span with its service's name.
 */

export interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  /** "" for a root span. */
  parentSpanId: string;
  name: string;
  attributes: Record<string, string | number | boolean>;
}

export interface OtlpReceiver {
  /** Give services as OTEL_EXPORTER_OTLP_ENDPOINT. */
  url: string;
  spans: ReceivedSpan[];
  /** Content types of the trace exports received (`application/json`, `application/x-protobuf`). */
  contentTypes: Set<string>;
  close(): Promise<void>;
}

export function startOtlpReceiver(): OtlpReceiver {
  const spans: ReceivedSpan[] = [];
  const contentTypes = new Set<string>();
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (req) => {
    let body: ArrayBuffer | Uint8Array = await req.arrayBuffer();
    if (req.headers.get("content-encoding") === "gzip") {
      body = new Uint8Array(
        await new Response(new Blob([body]).stream().pipeThrough(new DecompressionStream("gzip")))
          .arrayBuffer(),
      );
    }
    const type = req.headers.get("content-type")?.split(";")[0] ?? "";
    if (new URL(req.url).pathname === "/v1/traces") {
      contentTypes.add(type);
      spans.push(
        ...(type === "application/json"
          ? fromJson(JSON.parse(new TextDecoder().decode(body)))
          : fromProtobuf(new Uint8Array(body))),
      );
    }
    // Logs and metrics are accepted and dropped.
    return type === "application/json"
      ? Response.json({})
      : new Response(new Uint8Array(), { headers: { "content-type": "application/x-protobuf" } });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    spans,
    contentTypes,
    close: () => server.shutdown(),
  };
}

// --- http/json ---------------------------------------------------------------------------------

// deno-lint-ignore no-explicit-any
type Json = any;

function jsonValue(value: Json): string | number | boolean {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return Number(value.doubleValue);
  if (value.boolValue !== undefined) return Boolean(value.boolValue);
  return JSON.stringify(value);
}

function jsonAttributes(list: Json[] = []) {
  return Object.fromEntries(list.map((kv) => [kv.key, jsonValue(kv.value ?? {})]));
}

function fromJson(request: Json): ReceivedSpan[] {
  return (request.resourceSpans ?? []).flatMap((rs: Json) => {
    const service = String(jsonAttributes(rs.resource?.attributes)["service.name"] ?? "");
    return (rs.scopeSpans ?? []).flatMap((ss: Json) =>
      (ss.spans ?? []).map((s: Json) => ({
        service,
        traceId: String(s.traceId ?? "").toLowerCase(),
        spanId: String(s.spanId ?? "").toLowerCase(),
        parentSpanId: String(s.parentSpanId ?? "").toLowerCase(),
        name: s.name,
        attributes: jsonAttributes(s.attributes),
      }))
    );
  });
}

// --- http/protobuf -----------------------------------------------------------------------------

/** The fields of one message: number -> values (varints as bigint, the rest as bytes). */
type Fields = Map<number, (bigint | Uint8Array)[]>;

function readMessage(bytes: Uint8Array): Fields {
  const fields: Fields = new Map();
  let at = 0;
  const varint = (): bigint => {
    let result = 0n, shift = 0n;
    while (true) {
      const byte = bytes[at++];
      result |= BigInt(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return result;
      shift += 7n;
    }
  };
  while (at < bytes.length) {
    const key = Number(varint());
    const [field, wire] = [key >>> 3, key & 7];
    let value: bigint | Uint8Array;
    if (wire === 0) value = varint();
    else if (wire === 1) value = bytes.slice(at, at += 8);
    else if (wire === 5) value = bytes.slice(at, at += 4);
    else if (wire === 2) {
      const length = Number(varint());
      value = bytes.slice(at, at += length);
    } else throw new Error(`protobuf wire type ${wire} is not read here`);
    fields.set(field, [...(fields.get(field) ?? []), value]);
  }
  return fields;
}

const bytesOf = (f: Fields, n: number) =>
  (f.get(n)?.[0] as Uint8Array | undefined) ?? new Uint8Array();
const messages = (f: Fields, n: number) =>
  (f.get(n) ?? []).map((v) => readMessage(v as Uint8Array));
const text = (f: Fields, n: number) => new TextDecoder().decode(bytesOf(f, n));
const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, "0")).join("");

/** AnyValue: 1 string, 2 bool, 3 int, 4 double. */
function protobufValue(value: Fields): string | number | boolean {
  if (value.has(1)) return text(value, 1);
  if (value.has(2)) return value.get(2)![0] === 1n;
  if (value.has(3)) return Number(BigInt.asIntN(64, value.get(3)![0] as bigint));
  if (value.has(4)) {
    return new DataView((value.get(4)![0] as Uint8Array).buffer).getFloat64(0, true);
  }
  return "";
}

/** KeyValue: 1 key, 2 value. */
function protobufAttributes(list: Fields[]) {
  return Object.fromEntries(
    list.map((kv) => [text(kv, 1), protobufValue(messages(kv, 2)[0] ?? new Map())]),
  );
}

/**
 * ExportTraceServiceRequest: 1 ResourceSpans { 1 Resource { 1 attributes }, 2 ScopeSpans
 * { 2 Span { 1 trace_id, 2 span_id, 4 parent_span_id, 5 name, 9 attributes } } }.
 */
function fromProtobuf(bytes: Uint8Array): ReceivedSpan[] {
  return messages(readMessage(bytes), 1).flatMap((rs) => {
    const resource = messages(rs, 1)[0] ?? new Map();
    const service = String(protobufAttributes(messages(resource, 1))["service.name"] ?? "");
    return messages(rs, 2).flatMap((ss) =>
      messages(ss, 2).map((s) => ({
        service,
        traceId: hex(bytesOf(s, 1)),
        spanId: hex(bytesOf(s, 2)),
        parentSpanId: hex(bytesOf(s, 4)),
        name: text(s, 5),
        attributes: protobufAttributes(messages(s, 9)),
      }))
    );
  });
}
