/**
 * Where a service may listen. One that asks nobody who they are (no key, no identity provider)
 * listens on loopback only, so nothing but this machine reaches it, unless
 * ALLOW_UNAUTHENTICATED=true says to open it on HOST; either way it says once that it is open.
 */
import type { Logger } from "./logger.ts";

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\])$/i;

export interface ListenAccess {
  /** Whether callers must authenticate. */
  authenticated: boolean;
  /** ALLOW_UNAUTHENTICATED: listen on HOST even so. */
  allowUnauthenticated: boolean;
}

/** The address to listen on, given HOST and how the service is protected. */
export function listenAddress(host: string, access: ListenAccess, logger?: Logger): string {
  if (access.authenticated) return host;
  if (LOOPBACK.test(host)) {
    logger?.warn("open: no authentication is set up; listening on loopback only", { host });
    return host;
  }
  if (access.allowUnauthenticated) {
    logger?.warn(
      "open: no authentication is set up and ALLOW_UNAUTHENTICATED=true; anyone who reaches " +
        "this address may call it",
      { host },
    );
    return host;
  }
  logger?.warn(
    "open: no authentication is set up; listening on 127.0.0.1 only instead of HOST " +
      "(create a key, set API_KEY or AUTH_JWKS_URL, or ALLOW_UNAUTHENTICATED=true)",
    { host },
  );
  return "127.0.0.1";
}
