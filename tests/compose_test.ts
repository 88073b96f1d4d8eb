/**
 * A static check of compose.yaml (no Docker engine is needed): it runs the four services from
 * the one image, each on its port, against a Postgres it waits for, and every setting it passes
 * is one the services read (listed in .env.example).
 */
import { assert, assertEquals } from "@app/lib/assert";

const ROOT = decodeURIComponent(new URL("../", import.meta.url).pathname);
const compose = Deno.readTextFileSync(ROOT + "compose.yaml");
const envExample = Deno.readTextFileSync(ROOT + ".env.example");
const dockerfile = Deno.readTextFileSync(ROOT + "Dockerfile");

/** The top-level entries under `services:` with their indented bodies. */
function services(text: string): Map<string, string> {
  const body = text.split(/^services:\n/m)[1].split(/^\S/m)[0];
  const found = new Map<string, string>();
  for (const block of body.split(/^ {2}(?=[\w-]+:\n)/m).filter((b) => b.trim())) {
    const name = block.slice(0, block.indexOf(":"));
    found.set(name, block);
  }
  return found;
}

Deno.test("[compose] the four services and Postgres, each service on its own port", () => {
  const all = services(compose);
  assertEquals([...all.keys()], ["postgres", "orchestrator", "a2a-agent", "api-agent", "ui"]);
  const ports = { orchestrator: 8000, "a2a-agent": 8001, "api-agent": 8002, ui: 3000 };
  for (const [name, port] of Object.entries(ports)) {
    const block = all.get(name)!;
    assert(block.includes(`SERVICE: ${name}`), `${name} runs SERVICE=${name}`);
    assert(block.includes(`"${port}:${port}"`), `${name} publishes ${port}`);
    // The Dockerfile's CMD runs `deno task $SERVICE` (ui: with --no-build).
    assert(name === "ui" || dockerfile.includes('deno task \\"$SERVICE\\"'));
  }
  assert(all.get("orchestrator")!.includes("condition: service_healthy"), "waits for Postgres");
  assert(all.get("postgres")!.includes("pg_isready"));
});

Deno.test("[compose] every setting it passes is one the services read", () => {
  const shared = compose.split("environment: &environment\n")[1].split(/^\S|^services:/m)[0];
  const names = [...shared.matchAll(/^ {4}([A-Z0-9_]+):/gm)].map((m) => m[1]);
  assert(names.includes("DATABASE_URL") && names.includes("A2A_AGENT_URL"), names.join());
  for (const name of names) assert(envExample.includes(name), `${name} is in .env.example`);
  assert(/DATABASE_URL: postgres:\/\/[^@]+@postgres:5432\//.test(compose));
});
