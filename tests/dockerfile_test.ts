/**
 * A static check of the Dockerfile (no Docker engine is needed): the Deno version it pins is the
 * one CI and the README use, it runs as a non-root user with a health check, and every task, file
 * and folder it names exists, so a rename in the repo cannot silently break the image.
 */
import { assert, assertEquals } from "@app/lib/assert";

const ROOT = decodeURIComponent(new URL("../", import.meta.url).pathname);
const read = (path: string) => Deno.readTextFileSync(ROOT + path);
const exists = (path: string) => {
  try {
    Deno.statSync(ROOT + path);
    return true;
  } catch {
    return false;
  }
};

/** Dockerfile instructions with continuation lines joined and comments dropped. */
function instructions(text: string): { op: string; args: string }[] {
  const joined = text.split("\n").filter((line) => !line.trim().startsWith("#")).join("\n")
    .replace(/\\\n/g, " ");
  return joined.split("\n").map((line) => line.trim()).filter(Boolean).map((line) => {
    const space = line.indexOf(" ");
    return { op: line.slice(0, space).toUpperCase(), args: line.slice(space + 1).trim() };
  });
}

const dockerfile = read("Dockerfile");
const steps = instructions(dockerfile);
const tasks = Object.keys(JSON.parse(read("deno.json")).tasks);

Deno.test("[docker] the image pins the Deno version that CI and the README use", () => {
  const ci = /^DENO_VERSION=(\S+)$/m.exec(read(".ci/run"))?.[1];
  assert(ci, ".ci/run sets DENO_VERSION");
  const from = steps.filter((s) => s.op === "FROM");
  assertEquals(from.map((s) => s.args), [`denoland/deno:${ci}`]);
  const readme = read("README.md");
  assert(readme.includes(`deno@${ci}`), `README.md runs deno@${ci}`);
  const others = [...readme.matchAll(/deno@(\d+\.\d+\.\d+)/g)].map((m) => m[1]);
  assertEquals([...new Set(others)], [ci], "README names one Deno version");
});

Deno.test("[docker] runs as a non-root user, with a health check, exposing every port", () => {
  const users = steps.filter((s) => s.op === "USER").map((s) => s.args);
  assert(users.length > 0, "the Dockerfile sets a USER");
  const last = users.at(-1)!;
  assert(!/^(root|0)(:|$)/.test(last), `the last USER is not root (got ${last})`);
  const health = steps.filter((s) => s.op === "HEALTHCHECK");
  assertEquals(health.length, 1, "one HEALTHCHECK");
  assert(/\/health/.test(health[0].args), "the health check calls /health");
  const exposed = steps.filter((s) => s.op === "EXPOSE").flatMap((s) => s.args.split(/\s+/));
  assertEquals(exposed.sort(), ["3000", "8000", "8001", "8002"]);
  const env = steps.filter((s) => s.op === "ENV").map((s) => s.args).join(" ");
  assert(/\bHOST=0\.0\.0\.0\b/.test(env), "HOST=0.0.0.0");
  assert(/\bSERVICE=orchestrator\b/.test(env), "SERVICE defaults to orchestrator");
});

Deno.test("[docker] every task, service, file and folder the Dockerfile names exists", () => {
  // COPY sources (the build context is the repo root).
  for (const step of steps.filter((s) => s.op === "COPY")) {
    const parts = step.args.split(/\s+/).filter((p) => !p.startsWith("--"));
    for (const source of parts.slice(0, -1)) {
      if (source === ".") continue;
      assert(exists(source), `COPY ${source}: no such file`);
    }
  }
  // `deno task NAME`, `deno run ... FILE.ts`, `deno cache ... FILE.ts` in RUN and CMD.
  const commands = steps.filter((s) => s.op === "RUN" || s.op === "CMD").map((s) => s.args)
    .join("\n");
  for (const [, name] of commands.matchAll(/deno task ([\w-]+)/g)) {
    assert(tasks.includes(name), `deno task ${name}: not a task in deno.json`);
  }
  const files = [...commands.matchAll(/([\w./-]+\.tsx?)\b/g)].map((m) => m[1]);
  assert(files.length >= 5, "the Dockerfile names its entry points");
  for (const file of files) assert(exists(file), `${file}: no such file`);
  // SERVICE may be any service; each must be a task, and the UI must accept --no-build.
  for (const service of ["orchestrator", "a2a-agent", "api-agent", "ui"]) {
    assert(tasks.includes(service), `SERVICE=${service} has no deno task`);
  }
  if (commands.includes("--no-build")) assert(read("ui/main.ts").includes(`"no-build"`));
  // Every workspace member's deno.json is copied before `deno install`, or it fails.
  const members: string[] = JSON.parse(read("deno.json")).workspace;
  const copied = steps.filter((s) => s.op === "COPY").map((s) => s.args).join(" ");
  for (const member of members) {
    const manifest = `${member.replace(/^\.\//, "")}/deno.json`;
    assert(copied.includes(manifest), `${manifest} is copied into the dependency layer`);
  }
  assert(copied.includes("deno.lock"), "deno.lock is copied for --frozen");
});

Deno.test("[docker] .dockerignore keeps secrets and build output out, and sources in", () => {
  const ignored = read(".dockerignore").split("\n").map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
  for (const pattern of [".git", ".env", "dist/", "node_modules/", "*.db"]) {
    assert(ignored.includes(pattern), `.dockerignore has ${pattern}`);
  }
  for (const needed of ["deno.json", "deno.lock", "orchestrator", "agents", "ui", "db", "lib"]) {
    assert(!ignored.includes(needed), `.dockerignore must not drop ${needed}`);
  }
});
