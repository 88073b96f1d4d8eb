/**
 * Runs a service's main.ts as a real child process, reads the URL it logs when listening, and
 * kills it (SIGKILL for crash tests, SIGTERM for graceful shutdown).
 */
const ROOT = new URL("../", import.meta.url).pathname;

/** Calls `onLine` for each line of a process's output, the last one even without a newline. */
export async function readLines(
  stream: ReadableStream<Uint8Array>,
  onLine: (line: string) => void,
): Promise<void> {
  let buffer = "";
  // Typed as a pair over Uint8Array: with prom-client's Node types in the program, the DOM's
  // TextDecoderStream (BufferSource in) no longer matches pipeThrough's overloads.
  const decoder = new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>;
  for await (const chunk of stream.pipeThrough(decoder)) {
    buffer += chunk;
    let newline;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      onLine(buffer.slice(0, newline));
      buffer = buffer.slice(newline + 1);
    }
  }
  if (buffer) onLine(buffer);
}

/** The URL in a service's `{"msg":"listening","url":...}` log line, if this is that line. */
export function listeningUrl(line: string): string | undefined {
  if (!line.includes('"listening"')) return undefined;
  return /"url":"(http:\/\/[^"]+)"/.exec(line)?.[1];
}

export interface ServiceProcess {
  url: string;
  child: Deno.ChildProcess;
  output: string[];
  kill(signal?: Deno.Signal): Promise<Deno.CommandStatus>;
}

export interface ServiceProcessOptions {
  /** How long to wait for the "listening" line (a first run may download npm packages). */
  timeoutMs?: number;
  /** Arguments for the service itself. */
  args?: string[];
  /** Flags for `deno run`, e.g. `--cpu-prof`. */
  denoFlags?: string[];
}

export async function startServiceProcess(
  main: string,
  env: Record<string, string>,
  options: ServiceProcessOptions = {},
): Promise<ServiceProcess> {
  const { timeoutMs = 20_000, args = [], denoFlags = [] } = options;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", ...denoFlags, main, ...args],
    cwd: ROOT,
    env: { HOST: "127.0.0.1", LOG_LEVEL: "info", NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output: string[] = [];
  let resolveUrl: (url: string) => void;
  const urlPromise = new Promise<string>((resolve) => (resolveUrl = resolve));
  const collect = (line: string) => {
    output.push(line);
    const url = listeningUrl(line);
    if (url) resolveUrl(url);
  };
  readLines(child.stdout, collect).catch(() => {});
  readLines(child.stderr, collect).catch(() => {});
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
