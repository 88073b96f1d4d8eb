// The Restate peer: a service whose handler runs K steps, each an agent call journaled with
// ctx.run (its result durably recorded by the Restate server before the next step starts).
// Env: PORT (the service's own, registered with the server), AGENT_URL.
import * as restate from "@restatedev/restate-sdk";
import { callAgent } from "./agent_call.mjs";

const agentUrl = process.env.AGENT_URL;
const bench = restate.service({
  name: "bench",
  handlers: {
    run: async (ctx, { wf, k }) => {
      const results = [];
      for (let step = 0; step < k; step++) {
        results.push(await ctx.run(`step ${step}`, () => callAgent(agentUrl, wf, step)));
      }
      return results;
    },
  },
});
const port = Number(process.env.PORT);
await restate.serve({ services: [bench], port });
console.log(JSON.stringify({ msg: "listening", url: `http://127.0.0.1:${port}` }));
