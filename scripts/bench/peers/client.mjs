// The bench's client, the same for every engine: keeps C workflows of K steps outstanding, each
// submitted and awaited to its end, and checks every result. Run by scripts/bench/peers.ts:
//   node client.mjs '{"engine":"restate","url":"...","k":1,"concurrency":64,"warmupS":2,
//                     "durationS":10,"probe":100,"agentUrl":"..."}'
// Prints "measure-start" and "measure-end" around the loaded run (the harness reads every
// engine process's CPU time there), then one JSON line of figures.
import { expectedAnswer } from "./agent_call.mjs";

const options = JSON.parse(process.argv[2]);
const { engine, url, k, concurrency, warmupS, durationS, probe, agentUrl } = options;
let nextWf = Number(options.firstWf ?? 1);

async function postJson(target, body, headers = {}) {
  const response = await fetch(target, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${target} answered ${response.status}: ${text}`);
  return { status: response.status, body: JSON.parse(text) };
}

function checkResults(wf, results) {
  if (!Array.isArray(results) || results.length !== k) {
    throw new Error(`workflow ${wf}: ${JSON.stringify(results).slice(0, 200)}`);
  }
  results.forEach((answer, step) => {
    if (answer !== expectedAnswer(wf, step)) {
      throw new Error(`workflow ${wf} step ${step}: ${answer}`);
    }
  });
}

/** This product's plans: one step, or three each depending on the one before. */
const description = (wf) =>
  k === 1 ? `Research topic ${wf}.` : `Research topic ${wf}. Then analyze it. Then summarize it.`;

async function orchestratorTask(wf) {
  const body = { description: description(wf), user_id: "bench" };
  if (options.follow === "sse") {
    const created = await postJson(`${url}/api/tasks`, body);
    const stream = await fetch(`${url}/api/tasks/${created.body.task_id}/events`);
    const text = await stream.text();
    const ends = [...text.matchAll(/^event: (task\.\w+)$/gm)].map((m) => m[1]).filter((t) =>
      ["task.completed", "task.failed", "task.cancelled"].includes(t)
    );
    if (ends.at(-1) !== "task.completed") throw new Error(`task ${created.body.task_id}: ${ends}`);
    const steps = text.match(/^event: step\.completed$/gm)?.length ?? 0;
    if (steps !== k) throw new Error(`task ${created.body.task_id}: ${steps} steps completed`);
    return;
  }
  const { status, body: task } = await postJson(`${url}/api/tasks`, body, { Prefer: "wait=120" });
  if (status !== 201 || task.status !== "completed" || task.steps.length !== k) {
    throw new Error(`task ${task.task_id}: ${status} ${task.status} (${task.steps?.length} steps)`);
  }
  for (const step of task.steps) {
    if (step.status !== "completed" || !String(step.output_data?.summary).startsWith("done: ")) {
      throw new Error(`task ${task.task_id} step ${step.step_number}: ${step.status}`);
    }
  }
}

const ENGINES = {
  restate: async (wf) => checkResults(wf, (await postJson(`${url}/bench/run`, { wf, k })).body),
  dbos: async (wf) => checkResults(wf, (await postJson(`${url}/run`, { wf, k })).body),
  "pg-boss": async (wf) => checkResults(wf, (await postJson(`${url}/run`, { wf, k })).body),
  orchestrator: orchestratorTask,
  // The yardstick for overhead: one agent call straight from this client.
  agent: async (wf) => {
    const { body } = await postJson(`${agentUrl}/api/process`, {
      task: "bench",
      options: { instruction: `wf ${wf} step 0` },
    });
    if (body.summary !== expectedAnswer(wf, 0)) throw new Error(`agent: ${body.summary}`);
  },
};
const runWorkflow = ENGINES[engine];

/** Keeps `workers` workflows outstanding for `seconds`; the latency of each, in ms. */
async function closedLoop(workers, seconds, limit = Infinity) {
  const latencies = [];
  let errors = 0;
  const firstErrors = [];
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(Array.from({ length: workers }, async () => {
    while (performance.now() < end && latencies.length + errors < limit) {
      const wf = nextWf++;
      const t0 = performance.now();
      try {
        await runWorkflow(wf);
        latencies.push(performance.now() - t0);
      } catch (error) {
        errors++;
        if (firstErrors.length < 3) firstErrors.push(String(error).slice(0, 300));
      }
    }
  }));
  return { latencies, errors, firstErrors, seconds: (performance.now() - started) / 1000 };
}

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  if (!sorted.length) return null;
  return Number(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
    .toFixed(2));
};

await closedLoop(concurrency, warmupS);
// Unloaded: one workflow at a time, so its latency is the engine's own cost, without queueing.
const unloaded = probe > 0 ? await closedLoop(1, 60, probe) : { latencies: [], errors: 0 };
console.log("measure-start");
const loaded = await closedLoop(concurrency, durationS);
console.log("measure-end");
console.log(JSON.stringify({
  engine,
  k,
  workflows: loaded.latencies.length,
  errors: loaded.errors + unloaded.errors,
  first_errors: [...(unloaded.firstErrors ?? []), ...loaded.firstErrors],
  seconds: Number(loaded.seconds.toFixed(2)),
  per_s: Math.round(loaded.latencies.length / loaded.seconds),
  p50_ms: percentile(loaded.latencies, 50),
  p95_ms: percentile(loaded.latencies, 95),
  unloaded_p50_ms: percentile(unloaded.latencies, 50),
  unloaded_p95_ms: percentile(unloaded.latencies, 95),
}));
