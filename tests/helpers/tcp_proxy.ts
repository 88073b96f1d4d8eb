/**
 * A TCP proxy a test can cut: `down()` drops every connection and refuses new ones, `up()`
 * listens again on the same port. Stands between a service and its database to take the
 * database "away" without touching the server other tests share.
 */
export interface TcpProxy {
  port: number;
  down(): void;
  up(): void;
  close(): void;
}

export function startTcpProxy(target: { hostname: string; port: number }): TcpProxy {
  let listener: Deno.Listener | undefined;
  const open = new Set<Deno.Conn>();
  let port = 0;

  const serve = () => {
    listener = Deno.listen({ hostname: "127.0.0.1", port });
    port = (listener.addr as Deno.NetAddr).port;
    const current = listener;
    (async () => {
      for await (const client of current) {
        Deno.connect(target).then((server) => {
          open.add(client);
          open.add(server);
          const close = () => {
            for (const conn of [client, server]) {
              open.delete(conn);
              try {
                conn.close();
              } catch { /* closed */ }
            }
          };
          client.readable.pipeTo(server.writable).catch(() => {}).finally(close);
          server.readable.pipeTo(client.writable).catch(() => {}).finally(close);
        }).catch(() => client.close());
      }
    })().catch(() => {});
  };
  serve();

  const down = () => {
    try {
      listener?.close();
    } catch { /* closed */ }
    listener = undefined;
    for (const conn of open) {
      try {
        conn.close();
      } catch { /* closed */ }
    }
    open.clear();
  };
  return {
    port,
    down,
    up: () => {
      if (!listener) serve();
    },
    close: down,
  };
}
