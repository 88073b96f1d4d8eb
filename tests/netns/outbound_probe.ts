/**
 * Run by tests/outbound_netns_test.ts inside a user, network and mount namespace of its own
 * (`unshare -rnm`), where nothing can leave the machine: it adds the metadata addresses to the
 * namespace's loopback with a server counting every connection that reaches them, lets real
 * orchestrators try to reach them every way they might, and prints what it saw as JSON.
 */
import { openTestDatabase } from "@app/db/testing";
import { startOrchestrator } from "../helpers/orchestrator.ts";
import { startScriptedAgent } from "../helpers/scripted_agent.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

async function ip(...args: string[]) {
  const { code, stderr } = await new Deno.Command("ip", { args }).output();
  if (code !== 0) throw new Error(`ip ${args.join(" ")}: ${new TextDecoder().decode(stderr)}`);
}

await ip("link", "set", "lo", "up");
await ip("addr", "add", "169.254.169.254/32", "dev", "lo");
await ip("-6", "addr", "add", "fd00:ec2::254/128", "dev", "lo", "nodad");
await ip("addr", "add", "10.77.0.1/32", "dev", "lo");

/** Connections that reached a metadata address, whatever port or protocol. */
let arrived = 0;
for (const hostname of ["169.254.169.254", "fd00:ec2::254"]) {
  for (const port of [80, 8080]) {
    const listener = Deno.listen({ hostname, port });
    (async () => {
      for await (const conn of listener) {
        arrived++;
        conn.close();
      }
    })();
  }
}

const METADATA = "http://169.254.169.254/latest/meta-data/";
const redirector = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, (req) => {
  const path = new URL(req.url).pathname;
  if (path === "/health") return Response.json({ status: "healthy" });
  const to = path.startsWith("/v6/") ? "http://[fd00:ec2::254]:8080/" : METADATA;
  return new Response(null, {
    status: req.method === "POST" ? 307 : 302,
    headers: { location: to },
  });
});
const redirectorUrl = `http://127.0.0.1:${redirector.addr.port}`;
const agent = startScriptedAgent({ name: "Local", capabilities: ["research", "summarization"] });
const agentPort = new URL(agent.url).port;

const results: Json = { registrations: {}, tasks: {}, listen: {} };
const databases: { close(): Promise<void> }[] = [];

async function orchestrator(env: Record<string, string> = {}) {
  const database = await openTestDatabase("sqlite");
  databases.push(database);
  return await startOrchestrator(database.url, env);
}

async function register(orch: Awaited<ReturnType<typeof orchestrator>>, name: string, body: Json) {
  const answer = await orch.api<Json>("/api/agents", { method: "POST", json: body });
  results.registrations[name] = {
    status: answer.status,
    code: answer.body.error?.code,
    message: answer.body.error?.message,
    field: answer.body.error?.details?.[0]?.field,
  };
  return answer;
}

// Defaults: private addresses allowed, metadata never.
const orch = await orchestrator();
for (
  const [name, url] of [
    ["dotted", "http://169.254.169.254/"],
    ["decimal", "http://2852039166/"],
    ["hex", "http://0xA9FEA9FE/"],
    ["octal", "http://0251.0376.0251.0376/"],
    ["ipv6 metadata", "http://[fd00:ec2::254]/"],
    ["ipv4-mapped", "http://[::ffff:169.254.169.254]/"],
    ["name resolving to metadata", "http://metadata.internal/"],
    ["card redirecting to metadata", `${redirectorUrl}/card`],
    ["card redirecting to ipv6 metadata", `${redirectorUrl}/v6/card`],
  ]
) await register(orch, name, { url });
await register(orch, "full details at metadata", {
  name: "M",
  agent_type: "api",
  endpoint: "http://169.254.169.254:8080",
  capabilities: ["research"],
});
await register(orch, "api agent whose /capabilities redirects", {
  agent_type: "api",
  url: redirectorUrl,
});
await register(orch, "control: a local agent", {
  name: "Local",
  agent_type: "api",
  endpoint: agent.url,
  capabilities: agent.capabilities,
});
const local = (await orch.api<Json[]>("/api/agents")).body.find((a) => a.name === "Local");
results.registrations["update endpoint to metadata"] = (await orch.api<Json>(
  `/api/agents/${local?.id}`,
  { method: "PUT", json: { endpoint: "http://[::ffff:a9fe:a9fe]/" } },
)).status;
const control = await orch.api<Json>("/api/tasks", {
  method: "POST",
  json: { description: "Research bees and summarize it" },
});
results.tasks.control = (await orch.waitForTask(control.body.task_id)).status;
await orch.api(`/api/agents/${local?.id}`, { method: "DELETE" });

// An agent that passed registration (no fetch needed) and redirects its calls to metadata.
await register(orch, "redirecting agent", {
  name: "Redirecting",
  agent_type: "api",
  endpoint: redirectorUrl,
  capabilities: ["research", "summarization"],
});
const redirected = await orch.api<Json>("/api/tasks", {
  method: "POST",
  json: { description: "Research bees and summarize it" },
});
const failed = await orch.waitForTask(redirected.body.task_id);
results.tasks.redirected = { status: failed.status, error: failed.error };
await orch.close();

// Private addresses refused: localhost resolves to one.
const closed = await orchestrator({ OUTBOUND_ALLOW_PRIVATE: "false" });
await register(closed, "localhost with private refused", { url: `http://localhost:${agentPort}` });
await register(closed, "loopback with private refused", {
  name: "L",
  agent_type: "api",
  endpoint: agent.url,
  capabilities: ["research"],
});
await closed.close();

// The allowlist narrows to named hosts.
const listed = await orchestrator({ OUTBOUND_ALLOWLIST: "agents.example.com" });
await register(listed, "not in the allowlist", {
  name: "L",
  agent_type: "api",
  endpoint: agent.url,
  capabilities: ["research"],
});
await listed.close();

results.arrived = arrived;
// The counter counts: this probe itself connects once.
(await Deno.connect({ hostname: "169.254.169.254", port: 80 })).close();
await new Promise((resolve) => setTimeout(resolve, 100));
results.arrivedAfterControl = arrived;

/** Starts orchestrator/main.ts with `env`; where it listens and whether 10.77.0.1 reaches it. */
async function listenProbe(env: Record<string, string>) {
  const database = await openTestDatabase("sqlite");
  databases.push(database);
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("../../orchestrator/main.ts", import.meta.url).pathname],
    cwd: await Deno.makeTempDir(),
    env: {
      DATABASE_URL: database.url,
      ORCHESTRATOR_PORT: "0",
      LLM_PROVIDER: "offline",
      A2A_AGENT_URL: "http://127.0.0.1:9",
      API_AGENT_URL: "http://127.0.0.1:9",
      HEALTH_CHECK_INTERVAL_MS: "600000",
      ...env,
    },
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.getReader();
  let text = "";
  let url: string | undefined;
  while (!url) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`main.ts ended: ${text}`);
    text += new TextDecoder().decode(value);
    url = /"msg":"listening","url":"([^"]+)"/.exec(text)?.[1];
  }
  const port = new URL(url).port;
  const reach = async (host: string) => {
    try {
      const response = await fetch(`http://${host}:${port}/api/agents`, {
        signal: AbortSignal.timeout(3_000),
      });
      await response.body?.cancel();
      return response.status;
    } catch {
      return "refused";
    }
  };
  const outcome = {
    url,
    openLines: text.split("\n").filter((line) => line.includes('"msg":"open:')).length,
    loopback: await reach("127.0.0.1"),
    other: await reach("10.77.0.1"),
  };
  child.kill("SIGTERM");
  await child.status;
  return outcome;
}
results.listen.open = await listenProbe({});
results.listen.allowed = await listenProbe({ ALLOW_UNAUTHENTICATED: "true" });
results.listen.keyed = await listenProbe({ API_KEY: "k" });

await redirector.shutdown();
await agent.close();
for (const database of databases) await database.close();
console.log(JSON.stringify(results));
Deno.exit(0);
