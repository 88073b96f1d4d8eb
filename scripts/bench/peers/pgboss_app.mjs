// The pg-boss peer: a workflow is a chain of jobs on one queue, one per step. A step's job
// calls the agent, then sends the next step's job carrying the results so far (so each result
// is in Postgres before the next step starts), then completes; the last step completes with
// all the results as its output. A small HTTP front sends a workflow's first job and answers
// when its last one has completed. Jobs are taken with fetch/complete by one loop that is woken
// by every send from this process (pg-boss's polling is the backstop).
// Env: DATABASE_URL (a fresh database), AGENT_URL, PORT.
import { PgBoss } from "pg-boss";
import { callAgent, serveJson } from "./agent_call.mjs";

const QUEUE = "step";
const agentUrl = process.env.AGENT_URL;
const boss = new PgBoss({ connectionString: process.env.DATABASE_URL, max: 20 });
boss.on("error", (error) => console.error(error));
await boss.start();
await boss.createQueue(QUEUE);

const pending = new Map();
let wake = () => {};
const woken = () => new Promise((resolve) => (wake = resolve));

async function runStep(job) {
  const { wf, k, step, results } = job.data;
  const all = [...results, await callAgent(agentUrl, wf, step)];
  if (step + 1 < k) {
    await boss.send(QUEUE, { wf, k, step: step + 1, results: all });
    wake();
    await boss.complete(QUEUE, job.id);
  } else {
    await boss.complete(QUEUE, job.id, { results: all });
    pending.get(wf)?.resolve(all);
  }
}

(async function takeJobs() {
  while (true) {
    const next = woken();
    const jobs = await boss.fetch(QUEUE, { batchSize: 64 });
    for (const job of jobs) {
      runStep(job).catch((error) => {
        pending.get(job.data.wf)?.reject(error);
        return boss.fail(QUEUE, job.id, { error: String(error) });
      });
    }
    if (jobs.length === 0) {
      await Promise.race([next, new Promise((resolve) => setTimeout(resolve, 500))]);
    }
  }
})();

await serveJson(Number(process.env.PORT ?? 0), ({ wf, k }) =>
  new Promise((resolve, reject) => {
    pending.set(wf, { resolve, reject });
    boss.send(QUEUE, { wf, k, step: 0, results: [] }).then(() => wake(), reject);
  }).finally(() => pending.delete(wf)));
