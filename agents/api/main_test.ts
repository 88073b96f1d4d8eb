import { assert, assertEquals } from "@app/lib/assert";

const MAIN = new URL("./main.ts", import.meta.url).pathname;

Deno.test("[api-agent] main.ts serves on the configured port and stops cleanly on SIGTERM", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    // The permissions of its deno.json task: --allow-write for its answers in the database.
    args: [
      "run",
      "--allow-net",
      "--allow-env",
      "--allow-read",
      "--allow-write",
      "--allow-sys",
      MAIN,
    ],
    cwd: await Deno.makeTempDir(), // no .env there
    env: { HOST: "127.0.0.1", API_AGENT_PORT: "0", LLM_PROVIDER: "offline", LOG_LEVEL: "info" },
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  // Decoded by hand: TextDecoderStream's types clash with some workspace compiler options.
  const reader = child.stdout.getReader();
  const decoder = new TextDecoder();
  const lines = {
    async read(): Promise<{ value: string; done: boolean }> {
      const { value, done } = await reader.read();
      return { value: value ? decoder.decode(value, { stream: true }) : "", done };
    },
  };
  let buffered = "";
  let url: string | undefined;
  while (!url) {
    const { value, done } = await lines.read();
    if (done) throw new Error(`main.ts exited before listening: ${buffered}`);
    buffered += value;
    for (const line of buffered.split("\n")) {
      if (line.includes('"msg":"listening"')) url = JSON.parse(line).url;
    }
  }
  try {
    const health = await fetch(`${url}/health`);
    assertEquals((await health.json()).status, "healthy");
  } finally {
    child.kill("SIGTERM");
  }
  const status = await child.status;
  let rest = "";
  for (let r = await lines.read(); !r.done; r = await lines.read()) rest += r.value;
  assertEquals(status.code, 0);
  assert(rest.includes('"msg":"shutting down"'), rest);
});
