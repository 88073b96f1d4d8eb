/** The ceiling: a bare Hono server answering "hello", driven by the same client as the tasks. */
import { Hono } from "hono";

const app = new Hono();
app.post("/hello", (c) => c.json({ hello: "world" }));
Deno.serve({
  hostname: "127.0.0.1",
  port: 0,
  onListen: ({ port }) =>
    console.log(JSON.stringify({ msg: "listening", url: `http://127.0.0.1:${port}` })),
}, app.fetch);
