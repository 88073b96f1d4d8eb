/**
 * Runs a service's main.ts as a real child process, reads the URL it logs when listening, and
 * kills it (SIGKILL for crash tests, SIGTERM for graceful shutdown).
 */
const ROOT = new URL("../", import.meta.url).pathname;

export interface ServiceProcess {
  url: string;
  child: Deno.ChildProcess;
  output: string[];
  kill(signal?: Deno.Signal): Promise<Deno.CommandStatus>;
}

export async function startServiceProcess(
  main: string,
  env: Record<string, string>,
  timeoutMs = 20_000,
  args: string[] = [],
): Promise<ServiceProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", main, ...args],
    cwd: ROOT,
    env: { HOST: "127.0.0.1", LOG_LEVEL: "info", NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output: string[] = [];
  let resolveUrl: (url: string) => void;
  const urlPromise = new Promise<string>((resolve) => (resolveUrl = resolve));
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    let buffer = "";
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
      buffer += chunk;
      let newline;
      while ((newline = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        output.push(line);
        const match = /"url":"(http:\/\/[^"]+)"/.exec(line);
        if (match && line.includes('"listening"')) resolveUrl(match[1]);
      }
    }
  };
  pump(child.stdout).catch(() => {});
  pump(child.stderr).catch(() => {});
  let timer: ReturnType<typeof setTimeout> | undefined;
  const url = await Promise.race([
    urlPromise,
    child.status.then((s) => {
      throw new Error(`${main} exited with ${s.code} before listening:\n${output.join("\n")}`);
    }),
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${main} did not listen in ${timeoutMs} ms:\n${output.join("\n")}`)),
        timeoutMs,
      );
    }),
  ]).finally(() => clearTimeout(timer));
  return {
    url: url.replace("0.0.0.0", "127.0.0.1"),
    child,
    output,
    async kill(signal: Deno.Signal = "SIGTERM") {
      try {
        child.kill(signal);
      } catch {
        // already gone
      }
      return await child.status;
    },
  };
}
