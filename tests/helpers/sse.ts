/** Reads a Server-Sent Events response into events, until the server ends it or a limit. */
export interface SseEvent {
  id?: string;
  event?: string;
  data: string;
}

export async function readSse(
  url: string,
  options: { headers?: HeadersInit; until?: (event: SseEvent) => boolean; timeoutMs?: number } = {},
): Promise<SseEvent[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 10_000);
  const response = await fetch(url, { headers: options.headers, signal: controller.signal });
  if (!response.ok) throw new Error(`SSE ${url} answered ${response.status}`);
  const events: SseEvent[] = [];
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let boundary;
      while ((boundary = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + 2);
        const event: SseEvent = { data: "" };
        let isEvent = false;
        for (const line of block.split("\n")) {
          if (line.startsWith(":")) continue;
          const [field, ...rest] = line.split(":");
          const value = rest.join(":").replace(/^ /, "");
          if (field === "id") event.id = value;
          else if (field === "event") event.event = value;
          else if (field === "data") event.data += (event.data ? "\n" : "") + value;
          isEvent = true;
        }
        if (!isEvent) continue;
        events.push(event);
        if (options.until?.(event)) {
          controller.abort();
          return events;
        }
      }
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
  }
  return events;
}
