/**
 * The orchestrator's memory as the bench reads it: RSS and the JS heap in use from its /metrics,
 * after a full collection asked through its inspector (the DevTools protocol), so that a reading
 * counts what is live rather than where the collector happened to stand.
 */

export interface Memory {
  rss_mb: number;
  heap_mb: number;
}

/**
 * The orchestrator's memory from its /metrics, once it has been idle a moment and (through its
 * inspector) has collected its garbage: the heap then holds only what is live.
 */
export async function memoryOf(url: string, inspectPort?: number): Promise<Memory> {
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  if (inspectPort !== undefined) await collectGarbage(inspectPort);
  const text = await (await fetch(`${url}/metrics`)).text();
  const mb = (name: string) =>
    Number((Number(new RegExp(`^${name} (\\d+)$`, "m").exec(text)?.[1]) / 2 ** 20).toFixed(1));
  return { rss_mb: mb("process_resident_memory_bytes"), heap_mb: mb("deno_heap_used_bytes") };
}

/** Has a process started with `--inspect=127.0.0.1:<port>` collect its garbage. */
export async function collectGarbage(inspectPort: number): Promise<void> {
  const targets = await (await fetch(`http://127.0.0.1:${inspectPort}/json/list`)).json();
  const socket = new WebSocket(targets[0].webSocketDebuggerUrl);
  try {
    await new Promise((resolve, reject) => {
      socket.onopen = resolve;
      socket.onerror = () => reject(new Error(`inspector on port ${inspectPort} refused`));
    });
    const answered = new Promise<void>((resolve, reject) => {
      socket.onmessage = (message) => {
        const reply = JSON.parse(message.data);
        if (reply.id !== 1) return;
        if (reply.error) reject(new Error(reply.error.message));
        else resolve();
      };
    });
    socket.send(JSON.stringify({ id: 1, method: "HeapProfiler.collectGarbage" }));
    await answered;
  } finally {
    socket.close();
  }
}
