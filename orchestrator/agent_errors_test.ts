import { assert, assertEquals, assertRejects } from "@app/lib/assert";
import {
  AgentCallError,
  asAgentCallError,
  readAgentBody,
  typedAgentFetch,
} from "./agent_errors.ts";

const agentFetch = typedAgentFetch();

/** A server that answers every request with `handler`'s response, on a free port. */
function serve(handler: (request: Request) => Response | Promise<Response>) {
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, handler);
  return { url: `http://127.0.0.1:${server.addr.port}`, close: () => server.shutdown() };
}

async function failureOf(promise: Promise<unknown>): Promise<AgentCallError> {
  const error = await promise.then(() => undefined, (e) => e);
  assert(error instanceof AgentCallError, `an AgentCallError, not ${error}`);
  return error;
}

Deno.test("[agent errors] a refused connection is unreachable and worth a retry", async () => {
  const listener = Deno.listen({ port: 0, hostname: "127.0.0.1" });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close(); // nothing listens there now
  const error = await failureOf(agentFetch(`http://127.0.0.1:${port}/api/process`));
  assertEquals([error.failure, error.transient], ["unreachable", true]);
  assert(error.message.includes(`127.0.0.1:${port}`), error.message);
});

Deno.test("[agent errors] an HTTP status is typed by its code", async () => {
  const statuses = [[503, true], [429, true], [408, true], [400, false], [404, false]] as const;
  const server = serve((request) => {
    const status = Number(new URL(request.url).searchParams.get("status"));
    return new Response(`status ${status}`, { status });
  });
  try {
    for (const [status, transient] of statuses) {
      const error = await failureOf(agentFetch(`${server.url}/?status=${status}`));
      assertEquals([error.failure, error.status, error.transient], [
        "http_status",
        status,
        transient,
      ]);
      assert(error.message.includes(`status ${status}`), "the body is kept for the reader");
    }
  } finally {
    await server.close();
  }
});

Deno.test("[agent errors] a JSON-RPC error sent with an HTTP error keeps its code", async () => {
  const server = serve((request) => {
    const code = Number(new URL(request.url).searchParams.get("code"));
    return Response.json({ jsonrpc: "2.0", id: 1, error: { code, message: "nope" } }, {
      status: 500,
    });
  });
  try {
    const internal = await failureOf(agentFetch(`${server.url}/?code=-32603`));
    assertEquals([internal.failure, internal.code, internal.transient], [
      "jsonrpc_error",
      -32603,
      true,
    ]);
    const invalid = await failureOf(agentFetch(`${server.url}/?code=-32602`));
    assertEquals([invalid.code, invalid.transient], [-32602, false]);
  } finally {
    await server.close();
  }
});

/**
 * A raw socket that promises 1,000 bytes of `contentType`, sends `body`, then closes: a
 * connection broken mid-answer.
 */
function breakingServer(contentType: string, body: string) {
  const listener = Deno.listen({ port: 0, hostname: "127.0.0.1" });
  const serving = (async () => {
    const conn = await listener.accept();
    await conn.read(new Uint8Array(4096));
    const head = `HTTP/1.1 200 OK\r\ncontent-type: ${contentType}\r\ncontent-length: 1000\r\n\r\n`;
    await conn.write(new TextEncoder().encode(head + body));
    conn.close();
  })();
  return {
    url: `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}/`,
    close: async () => {
      await serving;
      listener.close();
    },
  };
}

Deno.test("[agent errors] a connection that breaks mid-answer is unreachable", async () => {
  const server = breakingServer("application/json", "hello");
  try {
    const response = await agentFetch(server.url);
    assertEquals(response.status, 200);
    const error = await failureOf(readAgentBody(response, "the agent"));
    assertEquals([error.failure, error.transient], ["unreachable", true]);
  } finally {
    await server.close();
  }
});

Deno.test("[agent errors] an event stream that breaks mid-answer is unreachable", async () => {
  const server = breakingServer("text/event-stream", "data: {}\n\n");
  try {
    const response = await agentFetch(server.url);
    const error = await failureOf(response.text());
    assertEquals([error.failure, error.transient], ["unreachable", true]);
  } finally {
    await server.close();
  }
});

Deno.test("[agent errors] an abort stays the caller's, not the agent's", async () => {
  const server = serve(() => new Promise<Response>(() => {}));
  const abort = new AbortController();
  try {
    const call = agentFetch(server.url, { signal: abort.signal });
    abort.abort(new Error("cancelled by the task"));
    const error = await call.then(() => undefined, (e) => e);
    assert(!(error instanceof AgentCallError), "not typed as the agent's failure");
  } finally {
    await server.close();
  }
});

Deno.test("[agent errors] a typed failure is found under a library's wrapping", async () => {
  const typed = new AgentCallError("answered HTTP 502", "http_status", true, { status: 502 });
  const wrapped = new Error("transport failed", { cause: new Error("inner", { cause: typed }) });
  const found = asAgentCallError(wrapped, "agent Researcher");
  assertEquals([found.failure, found.status, found.transient], ["http_status", 502, true]);
  assertEquals(found.message, "agent Researcher: answered HTTP 502");

  const rpc = Object.assign(new Error("Internal error"), { envelopeCode: -32603 });
  assertEquals(asAgentCallError(rpc, "agent A").transient, true);
  const invalid = Object.assign(new Error("Invalid params"), { envelopeCode: -32602 });
  assertEquals(asAgentCallError(invalid, "agent A").transient, false);
  // Nothing typed: a protocol failure, which a retry would not mend.
  const unknown = asAgentCallError(new Error("unexpected shape"), "agent A");
  assertEquals([unknown.failure, unknown.transient], ["protocol", false]);
  await assertRejects(() => Promise.reject(found), AgentCallError);
});
