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
        body = JSON.stringify(mutated);
      }
    }
    yield { method: route.method, path, headers, body };
  }
}

/** Sends the requests with bounded concurrency; returns the count by status class. */
export async function sendFuzz(
  baseUrl: string,
  requests: Iterable<FuzzRequest>,
  concurrency = 16,
): Promise<{ total: number; byStatus: Map<number, number>; fiveHundreds: string[] }> {
  const iterator = requests[Symbol.iterator]();
  const byStatus = new Map<number, number>();
  const fiveHundreds: string[] = [];
  let total = 0;
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
        fiveHundreds.push(
          `${request.method} ${request.path} ${request.body?.slice(0, 100)} -> ${response.status} ${
            text.slice(0, 200)
          }`,
        );
      }
    }
  }));
  return { total, byStatus, fiveHundreds };
}
