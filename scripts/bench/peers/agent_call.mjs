// One workflow step for every peer: a POST to the shared instant agent (scripts/bench/
// instant_agent.ts), its answer checked. The same request the orchestrator's REST client makes.

/** The instruction of step `step` of workflow `wf`, and the answer the agent must give to it. */
export const instruction = (wf, step) => `wf ${wf} step ${step}`;
export const expectedAnswer = (wf, step) => `done: ${instruction(wf, step)}`;

export async function callAgent(agentUrl, wf, step) {
  const response = await fetch(`${agentUrl}/api/process`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ task: "bench", options: { instruction: instruction(wf, step) } }),
  });
  if (!response.ok) throw new Error(`agent answered ${response.status}`);
  const { summary } = await response.json();
  if (summary !== expectedAnswer(wf, step)) throw new Error(`agent answered "${summary}"`);
  return summary;
}

/** A tiny JSON-over-HTTP front for the peers whose engine is a library (DBOS, pg-boss). */
export async function serveJson(port, handler) {
  const { createServer } = await import("node:http");
  const server = createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    try {
      const result = await handler(JSON.parse(body || "{}"));
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(result));
    } catch (error) {
      res.writeHead(500, { "content-type": "application/json" })
        .end(JSON.stringify({ error: String(error) }));
    }
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  console.log(JSON.stringify({ msg: "listening", url }));
  return server;
}
