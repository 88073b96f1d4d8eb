/**
 * 10,000 invalid requests across every route of the A2A agent and of the API agent, plus 10,000
 * invalid JSON-RPC envelopes to the A2A endpoint (with and without `A2A-Version: 1.0`), over
 * real HTTP on port 0: no 5xx, every JSON-RPC answer well-formed, and both still healthy.
 */
import { assert, assertEquals } from "@app/lib/assert";
import { parseConfig, silentLogger } from "@app/lib";
import { dbTest } from "@app/db/testing";
import { createApp as createA2aApp } from "../agents/a2a/app.ts";
import { createApp as createApiApp } from "../agents/api/app.ts";
import {
  type FuzzRequest,
  fuzzRequests,
  type FuzzRoute,
  jsonRpcFuzzRequests,
  jsonRpcProblem,
  sendFuzz,
} from "./helpers/fuzz.ts";

// The A2A SDK keeps tasks it started running in the background after the answer (v0.3
// non-blocking sends); they finish on their own, after the test's last request.
const opts = { sanitizeResources: false, sanitizeOps: false };

function serve(handler: (request: Request) => Response | Promise<Response>) {
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, handler);
  return { url: `http://127.0.0.1:${server.addr.port}`, close: () => server.shutdown() };
}

const RPC_PATHS = ["/", "/a2a"];
const A2A_ROUTES: FuzzRoute[] = [
  { method: "GET", path: "/health" },
  { method: "GET", path: "/capabilities" },
  {
    method: "POST",
    path: "/process",
    body: { description: "Research x", context: { notes: "x" }, session_id: "sess_x" },
  },
  { method: "GET", path: "/.well-known/agent-card.json" },
  { method: "GET", path: "/.well-known/agent.json" },
  { method: "GET", path: "/openapi.json" },
  { method: "GET", path: "/docs" },
  ...RPC_PATHS.map((path) => ({
    method: "POST",
    path,
    body: { jsonrpc: "2.0", id: 1, method: "tasks/get", params: { id: "task-nope" } },
  })),
  { method: "GET", path: "/{id}" },
];

const API_ROUTES: FuzzRoute[] = [
  { method: "GET", path: "/health" },
  { method: "GET", path: "/capabilities" },
  { method: "GET", path: "/openapi.json" },
  { method: "GET", path: "/docs" },
  ...["/api/process", "/api/summarize", "/api/analyze", "/api/extract"].map((path) => ({
    method: "POST",
    path,
    body: {
      ...(path === "/api/process" && { operation: "summarize" }),
      input: "Solar grew 24% in 2024. Costs fell. Analysts expect more.",
      data: [3, 5, 8, 13],
      options: { max_sentences: 2, top_k: 5, percentiles: [50, 90], fields: ["a.b"] },
    },
  })),
  {
    method: "POST",
    path: "/process",
    body: {
      task_type: "analysis",
      data: [{ a: { b: 1 } }, { a: { b: 2 } }],
      instructions: "Look",
      target_format: "text",
    },
  },
  { method: "GET", path: "/api/{id}" },
];

const isRpc = (request: FuzzRequest) =>
  request.method === "POST" && RPC_PATHS.includes(request.path.split("?")[0]);

/** Error answers that echoed an id JSON-RPC forbids (the SDK's doing; counted, reported). */
let echoedInvalidIds = 0;

/** JSON-RPC answers must be well-formed (HTTP 200 with a result or an error object). A 413 for
 * an oversized body is the body limit's JSON error, not JSON-RPC. */
function checkA2a(request: FuzzRequest, response: Response, text: string) {
  if (!isRpc(request)) return undefined;
  if (response.status === 413) return undefined;
  if (response.status !== 200) return `JSON-RPC answered HTTP ${response.status}`;
  const problem = jsonRpcProblem(response, text, { echoedInvalidIds: true });
  if (!problem && jsonRpcProblem(response, text)) echoedInvalidIds++;
  return problem;
}

function printCounts(name: string, result: { total: number; byStatus: Map<number, number> }) {
  const counts = Object.fromEntries([...result.byStatus].sort(([a], [b]) => a - b));
  console.log(`${name}: fuzzed ${result.total} requests:`, counts);
}

// On both databases: the agent keeps its A2A tasks there, and Postgres refuses what SQLite takes
// (over-long keys, NUL characters).
dbTest("[fuzz] A2A agent: 10,000 invalid requests, no 5xx, still healthy", async ({ db }) => {
  const ready: { app?: ReturnType<typeof createA2aApp> } = {};
  const server = serve((request) => ready.app!.fetch(request));
  ready.app = createA2aApp({
    config: parseConfig({ MAX_BODY_BYTES: "65536" }),
    logger: silentLogger,
    llm: null,
    db,
    publicUrl: server.url,
  });
  echoedInvalidIds = 0;
  try {
    const result = await sendFuzz(server.url, fuzzRequests(A2A_ROUTES, 10_000, 7), 16, {
      check: checkA2a,
    });
    printCounts("a2a agent (routes)", result);
    console.log(`error answers echoing an invalid id (SDK): ${echoedInvalidIds}`);
    assertEquals(result.total, 10_000);
    assertEquals(result.fiveHundreds, [], "no request may get a 5xx");
    assertEquals(result.problems, [], `${result.problemCount} malformed JSON-RPC answers`);
    const health = await fetch(`${server.url}/health`);
    assertEquals([health.status, (await health.json()).status], [200, "ok"]);
  } finally {
    await server.close();
  }
});

dbTest(
  "[fuzz] A2A agent: 10,000 invalid JSON-RPC envelopes answer well-formed JSON-RPC, no 5xx",
  async ({ db }) => {
    const ready: { app?: ReturnType<typeof createA2aApp> } = {};
    const server = serve((request) => ready.app!.fetch(request));
    ready.app = createA2aApp({
      config: parseConfig({ MAX_BODY_BYTES: "131072" }),
      logger: silentLogger,
      llm: null,
      db,
      publicUrl: server.url,
    });
    echoedInvalidIds = 0;
    try {
      const requests = [...jsonRpcFuzzRequests(RPC_PATHS, 10_000, 11)];
      const withVersion = requests.filter((r) => r.headers["a2a-version"] === "1.0").length;
      assert(withVersion > 1_000, `only ${withVersion} requests carry A2A-Version: 1.0`);
      const result = await sendFuzz(server.url, requests, 16, { check: checkA2a });
      printCounts(`a2a agent (JSON-RPC, ${withVersion} with A2A-Version: 1.0)`, result);
      console.log(`error answers echoing an invalid id (SDK): ${echoedInvalidIds}`);
      assertEquals(result.total, 10_000);
      assertEquals(result.fiveHundreds, [], "no request may get a 5xx");
      assertEquals(result.problems, [], `${result.problemCount} malformed JSON-RPC answers`);
      const health = await fetch(`${server.url}/health`);
      assertEquals([health.status, (await health.json()).status], [200, "ok"]);
    } finally {
      await server.close();
    }
  },
);

Deno.test("[fuzz] API agent: 10,000 invalid requests, no 5xx, still healthy", opts, async () => {
  const app = createApiApp({
    config: parseConfig({ MAX_BODY_BYTES: "65536" }),
    logger: silentLogger,
    llm: null,
  });
  const server = serve(app.fetch);
  try {
    const result = await sendFuzz(server.url, fuzzRequests(API_ROUTES, 10_000, 13));
    printCounts("api agent", result);
    assertEquals(result.total, 10_000);
    assertEquals(result.fiveHundreds, [], "no request may get a 5xx");
    const health = await fetch(`${server.url}/health`);
    assertEquals([health.status, (await health.json()).status], [200, "healthy"]);
  } finally {
    await server.close();
  }
});
