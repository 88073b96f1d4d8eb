// The DBOS peer: a workflow of K steps, each an agent call run with DBOS.runStep (its result
// checkpointed in Postgres before the next step starts), behind a small HTTP front that runs
// one workflow per request and answers with its result. Env: DATABASE_URL (a fresh database),
// AGENT_URL, PORT.
import { DBOS } from "@dbos-inc/dbos-sdk";
import { callAgent, serveJson } from "./agent_call.mjs";

const agentUrl = process.env.AGENT_URL;
const workflow = DBOS.registerWorkflow(async ({ wf, k }) => {
  const results = [];
  for (let step = 0; step < k; step++) {
    results.push(await DBOS.runStep(() => callAgent(agentUrl, wf, step), { name: `step${step}` }));
  }
  return results;
}, { name: "bench" });

DBOS.setConfig({
  name: "bench",
  systemDatabaseUrl: process.env.DATABASE_URL,
  systemDatabasePoolSize: 20,
  logLevel: "warn",
});
await DBOS.launch();
await serveJson(Number(process.env.PORT ?? 0), (input) => workflow(input));
