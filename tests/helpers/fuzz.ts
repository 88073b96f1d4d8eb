/**
 * A seeded generator of invalid requests: wrong types, missing and extra fields, huge strings,
 * unicode edge cases, bad JSON, wrong content types, unknown ids. Same seed, same requests.
 */

export interface FuzzRoute {
  method: string;
  /** `{id}`-style placeholders are filled with unknown or malformed ids. */
  path: string;
  /** A valid body to mutate, for routes that take one. */
  body?: Record<string, unknown>;
  /** Send the mutated body as an HTML form would (urlencoded), for form-posting pages. */
  form?: boolean;
}

export function rng(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STRANGE_STRINGS = [
  "",
  " ",
  "\u0000",
  "\ud800",
  "\uffff",
  "🚀".repeat(50),
  "e\u0301\u0301\u0301",
  "\u202e\u202d",
  "<script>alert(1)</script>",
  "'; drop table tasks; --",
  "../../etc/passwd",
  "%00%ff",
  "x".repeat(70_000),
  "null",
  "NaN",
  "-1",
  "1e309",
];
const STRANGE_VALUES: unknown[] = [
  null,
  true,
  -1,
  0,
  1.5,
  1e308,
  -0,
  [],
  [null],
  {},
  { nested: { deep: [1, { x: "y" }] } },
  ...STRANGE_STRINGS,
];
const IDS = [
  "0",
  "-1",
  "999999999",
  "abc",
  "1.5",
  "%20",
  "9".repeat(40),
  "sess_nope",
  "🚀",
  "null",
];
const CONTENT_TYPES = [
  "application/json",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/json; charset=latin1",
  "",
];

/** Percent-encodes; a lone surrogate becomes the invalid UTF-8 a careless client would send. */
function encode(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return "%ED%A0%80";
  }
}

/** A form body of the values' string forms (a lone surrogate encodes as invalid UTF-8). */
function formEncode(fields: Record<string, unknown>): string {
  return Object.entries(fields)
    .map(([key, value]) =>
      `${encode(key)}=${encode(typeof value === "string" ? value : JSON.stringify(value) ?? "")}`
    )
    .join("&");
}

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export function* fuzzRequests(
  routes: FuzzRoute[],
  count: number,
  seed = 1,
): Generator<FuzzRequest> {
  const random = rng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  for (let i = 0; i < count; i++) {
    const route = routes[i % routes.length];
    const path = route.path.replace(/\{[^}]+\}/g, () => encode(pick(IDS))) +
      (random() < 0.2
        ? `?${pick(["limit", "status", "cursor", "capability", "user_id"])}=${
          encode(String(pick(STRANGE_VALUES)).slice(0, 2_000))
        }`
        : "");
    const headers: Record<string, string> = { "content-type": pick(CONTENT_TYPES) };
    if (!headers["content-type"]) delete headers["content-type"];
    let body: string | undefined;
    if (route.method !== "GET" && route.method !== "DELETE") {
      const kind = random();
      if (kind < 0.15) {
        body = pick(["{", '{"a":', "[1,2", "nul", '"unterminated', "{}}", "\u0000", ""]);
      } else if (kind < 0.25) {
        body = JSON.stringify(pick(STRANGE_VALUES));
      } else {
        const mutated: Record<string, unknown> = { ...(route.body ?? {}) };
        const keys = Object.keys(mutated);
        const action = random();
        if (action < 0.3 && keys.length) delete mutated[pick(keys)];
        else if (action < 0.7 && keys.length) mutated[pick(keys)] = pick(STRANGE_VALUES);
        else mutated[pick(["extra", "__proto__", "constructor", "🚀", ""])] = pick(STRANGE_VALUES);
        body = route.form ? formEncode(mutated) : JSON.stringify(mutated);
      }
    }
    yield { method: route.method, path, headers, body };
  }
}

/** JSON-RPC methods worth sending: A2A v1.0 and v0.3 names, and ones no server has. */
const RPC_METHODS: unknown[] = [
  "SendMessage",
  "SendStreamingMessage",
  "GetTask",
  "CancelTask",
  "SubscribeToTask",
  "ListTasks",
  "GetExtendedAgentCard",
  "CreateTaskPushNotificationConfig",
  "message/send",
  "message/stream",
  "tasks/get",
  "tasks/cancel",
  "tasks/resubscribe",
  "tasks/pushNotificationConfig/set",
  "tasks/pushNotificationConfig/get",
  "agent/getAuthenticatedExtendedCard",
  "tasks/explode",
  "",
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
  "rpc.discover",
  "x".repeat(10_000),
  1,
  null,
  [],
  {},
];
const RPC_IDS: unknown[] = [
  1,
  0,
  -1,
  "a",
  "",
  null,
  1.5,
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER + 2,
  "9".repeat(400),
  "x".repeat(70_000),
  true,
  {},
  [],
  [1],
];
/** Params close to valid, for v1.0 (proto JSON) and v0.3, so mutations reach deep checks. */
const RPC_PARAMS: Record<string, unknown>[] = [
  { message: { messageId: "m1", role: "ROLE_USER", parts: [{ text: "Research x" }] } },
  {
    message: {
      kind: "message",
      messageId: "m1",
      role: "user",
      parts: [{ kind: "text", text: "x" }],
    },
    configuration: { blocking: false },
  },
  { id: "task-nope" },
  { id: "task-nope", historyLength: 3 },
  { name: "tasks/task-nope" },
  { taskId: "task-nope", pushNotificationConfig: { url: "http://127.0.0.1:1/hook" } },
];
const A2A_VERSIONS = [undefined, undefined, "1.0", "1.0", "0.3", "0.2", "2.0", "", "abc", "1"];

/**
 * Invalid (and a few valid-looking) JSON-RPC envelopes to the given paths: wrong `jsonrpc`,
 * missing or unknown methods, params of the wrong type, huge and odd ids, batches, broken JSON,
 * with and without an `A2A-Version` header. Same seed, same requests.
 */
export function* jsonRpcFuzzRequests(
  paths: string[],
  count: number,
  seed = 1,
): Generator<FuzzRequest> {
  const random = rng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const envelope = (): unknown => {
    const message: Record<string, unknown> = {};
    const shape = random();
    // Mostly "2.0", so the other parts of the envelope get looked at too.
    if (shape < 0.7) message.jsonrpc = "2.0";
    else if (shape < 0.95) message.jsonrpc = pick(["1.0", "2", 2, 2.0, null, "", "2.0 ", {}]);
    if (random() < 0.9) message.method = pick(RPC_METHODS);
    if (random() < 0.85) message.id = pick(RPC_IDS);
    const params = random();
    if (params < 0.4) {
      const mutated = structuredClone(pick(RPC_PARAMS));
      const keys = Object.keys(mutated);
      const action = random();
      if (action < 0.3) delete mutated[pick(keys)];
      else if (action < 0.7) mutated[pick(keys)] = pick(STRANGE_VALUES);
      else if (action < 0.85) mutated[pick(["extra", "__proto__", "metadata", ""])] = {};
      message.params = mutated;
    } else if (params < 0.8) {
      message.params = pick(STRANGE_VALUES);
    } else if (params < 0.9) {
      message.params = pick(RPC_PARAMS);
    }
    if (random() < 0.05) message[pick(["result", "error", "extra"])] = pick(STRANGE_VALUES);
    return message;
  };
  for (let i = 0; i < count; i++) {
    const kind = random();
    let body: string;
    if (kind < 0.1) {
      body = pick(["{", '{"jsonrpc":', "[1,2", "nul", '"x', "{}}", "\u0000", "", "[]", "[{}]"]);
    } else if (kind < 0.2) {
      body = JSON.stringify(Array.from({ length: Math.floor(random() * 4) }, envelope));
    } else if (kind < 0.25) {
      body = JSON.stringify(pick(STRANGE_VALUES));
    } else {
      body = JSON.stringify(envelope());
    }
    const headers: Record<string, string> = {
      "content-type": random() < 0.85 ? "application/json" : pick(CONTENT_TYPES),
    };
    if (!headers["content-type"]) delete headers["content-type"];
    const version = pick(A2A_VERSIONS);
    if (version !== undefined) headers["a2a-version"] = version;
    yield { method: "POST", path: pick(paths), headers, body };
  }
}

export interface SendFuzzOptions {
  /** Looks at each answer; a returned string is a problem, reported with the request. */
  check?: (request: FuzzRequest, response: Response, text: string) => string | undefined;
}

/** Sends the requests with bounded concurrency; returns the count by status class. */
export async function sendFuzz(
  baseUrl: string,
  requests: Iterable<FuzzRequest>,
  concurrency = 16,
  options: SendFuzzOptions = {},
): Promise<{
  total: number;
  byStatus: Map<number, number>;
  fiveHundreds: string[];
  /** Answers `check` found wrong (the first 5), and how many there were in all. */
  problems: string[];
  problemCount: number;
}> {
  const iterator = requests[Symbol.iterator]();
  const byStatus = new Map<number, number>();
  const fiveHundreds: string[] = [];
  const problems: string[] = [];
  let problemCount = 0;
  let total = 0;
  const describe = (request: FuzzRequest) =>
    `${request.method} ${request.path.slice(0, 200)} ${JSON.stringify(request.headers)} ${
      request.body?.slice(0, 100)
    }`;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let next = iterator.next(); !next.done; next = iterator.next()) {
      const request = next.value;
      const response = await fetch(baseUrl + request.path, {
        method: request.method,
        headers: request.headers,
        body: request.body,
      });
      const text = await response.text();
      total++;
      byStatus.set(response.status, (byStatus.get(response.status) ?? 0) + 1);
      if (response.status >= 500 && fiveHundreds.length < 5) {
        fiveHundreds.push(`${describe(request)} -> ${response.status} ${text.slice(0, 200)}`);
      }
      const problem = options.check?.(request, response, text);
      if (problem !== undefined) {
        problemCount++;
        if (problems.length < 5) problems.push(`${describe(request)} -> ${problem}`);
      }
    }
  }));
  return { total, byStatus, fiveHundreds, problems, problemCount };
}

/**
 * Checks a JSON-RPC 2.0 answer: one response object, or for a batch an array of them, each
 * with `jsonrpc: "2.0"`, an `id` (string, number or null) and exactly one of `result` and an
 * `error` of integer code and string message. An SSE answer is checked event by event.
 */
export function jsonRpcProblem(
  response: Response,
  text: string,
  options: {
    /** Accept an error answer that echoes the request's invalid id (object, boolean...), as
     * the A2A SDK 1.3.0 does, instead of the null JSON-RPC 2.0 asks for. */
    echoedInvalidIds?: boolean;
  } = {},
): string | undefined {
  const type = response.headers.get("content-type") ?? "";
  let messages: unknown[];
  if (type.startsWith("text/event-stream")) {
    messages = [];
    for (const line of text.split("\n")) {
      if (!line.startsWith("data:")) continue;
      try {
        messages.push(JSON.parse(line.slice(5)));
      } catch {
        return `SSE data is not JSON: ${line.slice(0, 200)}`;
      }
    }
    if (!messages.length) return "an SSE answer without events";
  } else if (type.startsWith("application/json")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return `not JSON: ${text.slice(0, 200)}`;
    }
    messages = Array.isArray(parsed) ? parsed : [parsed];
  } else {
    return `content-type ${JSON.stringify(type)}: ${text.slice(0, 200)}`;
  }
  for (const message of messages) {
    const m = message as Record<string, unknown> | null;
    if (!m || typeof m !== "object" || Array.isArray(m)) {
      return `not an object: ${text.slice(0, 200)}`;
    }
    if (m.jsonrpc !== "2.0") return `jsonrpc is ${JSON.stringify(m.jsonrpc)}`;
    const validId = m.id === null || ["string", "number"].includes(typeof m.id);
    if (!("id" in m) || (!validId && !(options.echoedInvalidIds && "error" in m))) {
      return `bad id: ${JSON.stringify(m.id)?.slice(0, 100)}`;
    }
    if (("result" in m) === ("error" in m)) {
      return `needs one of result and error: ${text.slice(0, 200)}`;
    }
    if ("error" in m) {
      const error = m.error as Record<string, unknown> | null;
      if (!error || !Number.isInteger(error.code) || typeof error.message !== "string") {
        return `malformed error: ${JSON.stringify(m.error)?.slice(0, 200)}`;
      }
    }
  }
  return undefined;
}
