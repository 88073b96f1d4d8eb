/** A tiny static A2A agent: only its agent card, which is all the registry reads to register it. */
import { Hono } from "hono";

export function startCardServer(name = "Card Researcher") {
  const app = new Hono();
  app.get("/.well-known/agent-card.json", (c) =>
    c.json({
      name,
      description: "A research agent known only by its card",
      url: new URL(c.req.url).origin,
      version: "1.0.0",
      protocolVersion: "0.3.0",
      capabilities: { streaming: false },
      defaultInputModes: ["text/plain"],
      defaultOutputModes: ["text/plain"],
      skills: [{ id: "deep_research", name: "Deep research", description: "", tags: ["research"] }],
    }));
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, app.fetch);
  return { url: `http://127.0.0.1:${server.addr.port}`, name, close: () => server.shutdown() };
}
