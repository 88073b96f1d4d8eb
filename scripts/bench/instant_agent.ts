/** A benchmark agent that answers at once, reporting its own time so overhead can be measured. */
import { Hono } from "hono";

const app = new Hono();
app.get("/health", (c) => c.json({ status: "healthy" }));
app.get("/capabilities", (c) =>
  c.json({
    name: "instant",
    description: "answers at once",
    capabilities: ["research", "analysis", "summarization"],
  }));
app.post("/api/process", async (c) => {
  const started = performance.now();
  const body = await c.req.json();
  const summary = `done: ${String(body.options?.instruction ?? "").slice(0, 60)}`;
  return c.json({ summary, insights: [], agent_ms: performance.now() - started });
});

Deno.serve({
  hostname: "127.0.0.1",
  port: Number(Deno.args[0] ?? 0),
  onListen: ({ port }) =>
    console.log(JSON.stringify({ msg: "listening", url: `http://127.0.0.1:${port}` })),
}, app.fetch);
