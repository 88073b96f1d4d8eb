/**
 * Reading h2load's figures: its summary and its per-request log, as two real runs printed them
 * (testdata/: the bare hello server, and `deno task dev`'s orchestrator with its default rate
 * limit, which answered 174 of 800 task submits 429). Also the outside bench's task body: the
 * deterministic planner must make it one research step.
 */
import { assertEquals, assertThrows } from "@app/lib/assert";
import { draftSteps } from "@app/orchestrator";
import { latencyFromLog, parseH2loadSummary } from "./h2load.ts";
import { SINGLE_STEP_TASK } from "./outside.ts";

const testdata = (name: string) =>
  Deno.readTextFileSync(new URL(`./testdata/${name}`, import.meta.url));

Deno.test("[bench] h2load's summary: requests, failures by status, rate and seconds", () => {
  assertEquals(parseH2loadSummary(testdata("h2load_tasks_rate_limited.txt")), {
    requests: 800,
    ok: 626,
    failed: 174,
    requests_per_s: 302.33,
    seconds: 2.65,
    status: { "2xx": 626, "3xx": 0, "4xx": 174, "5xx": 0 },
  });
  const hello = parseH2loadSummary(testdata("h2load_hello.txt"));
  assertEquals([hello.ok, hello.failed, hello.requests_per_s], [300, 0, 15221.47]);
  assertEquals(hello.seconds.toFixed(5), "0.01971"); // "finished in 19.71ms"
});

Deno.test("[bench] h2load's summary: output without one says which line is missing", () => {
  const cut = testdata("h2load_hello.txt").replace(/^status codes:.*$/m, "");
  assertThrows(() => parseH2loadSummary(cut), Error, "no 'status codes:' line");
});

Deno.test("[bench] h2load's log: p50 and p95 of every request's time, in ms", () => {
  assertEquals(latencyFromLog(testdata("h2load_tasks_rate_limited.tsv")), {
    p50_ms: 16.55,
    p95_ms: 104.92,
    count: 800,
  });
  assertEquals(latencyFromLog(testdata("h2load_hello.tsv")), {
    p50_ms: 0.32,
    p95_ms: 2.24,
    count: 300,
  });
  assertThrows(() => latencyFromLog("1796130027500718\t200\n"), Error, "not a row");
});

Deno.test("[bench] the outside bench's task is one research step for the offline planner", () => {
  const steps = draftSteps(SINGLE_STEP_TASK.description);
  assertEquals(steps.map((s) => [s.capability, s.dependencies]), [["research", []]]);
});
