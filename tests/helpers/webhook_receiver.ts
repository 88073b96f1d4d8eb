/**
 * A real webhook receiver for tests: records every POST (headers and raw body), answers as
 * scripted (fail the first n, always fail), and can start later on a port chosen first, to
 * play a receiver that is down for a while.
 */
export interface ReceivedWebhook {
  id: string | null;
  event: string | null;
  signature: string | null;
  raw: string;
  // deno-lint-ignore no-explicit-any
  body: Record<string, any>;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Answered with success: the deliveries this receiver took. */
  accepted: ReceivedWebhook[];
  close(): Promise<void>;
}

export function startWebhookReceiver(
  options: {
    port?: number;
    /** The status to answer the n-th request (from 1) with; default 200. */
    answer?: (n: number, hook: ReceivedWebhook) => number;
    /** Hold every request unanswered until the receiver closes: a receiver that hangs. */
    hang?: boolean;
  } = {},
): WebhookReceiver {
  const released = Promise.withResolvers<void>();
  const received: ReceivedWebhook[] = [];
  const accepted: ReceivedWebhook[] = [];
  const server = Deno.serve(
    { port: options.port ?? 0, hostname: "127.0.0.1", onListen() {} },
    async (request) => {
      const raw = await request.text();
      const hook: ReceivedWebhook = {
        id: request.headers.get("x-webhook-id"),
        event: request.headers.get("x-webhook-event"),
        signature: request.headers.get("x-webhook-signature"),
        raw,
        body: JSON.parse(raw),
      };
      received.push(hook);
      if (options.hang) await released.promise;
      const status = options.answer?.(received.length, hook) ?? 200;
      if (status < 300) accepted.push(hook);
      return new Response(status < 300 ? "ok" : "not now", { status });
    },
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}/hooks`,
    received,
    accepted,
    close: () => {
      released.resolve();
      return server.shutdown();
    },
  };
}

export async function waitFor(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
