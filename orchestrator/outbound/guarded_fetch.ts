/**
 * `fetch` for calls leaving the orchestrator: before each request, and again at every redirect
 * it follows itself, the host must be on OUTBOUND_ALLOWLIST (when set) and every address it
 * resolves to must pass the address rules. A refusal is an `OutboundRefused`, not worth a retry.
 * Not covered: a DNS answer that changes between this check and the connection (rebinding).
 */
import { lookup } from "node:dns/promises";
import { AgentCallError } from "../agent_errors.ts";
import {
  addressKind,
  allowlistRefusal,
  hostOf,
  type OutboundPolicy,
  refusalFor,
} from "./address_rules.ts";

export type { OutboundPolicy } from "./address_rules.ts";

const MAX_REDIRECTS = 5;

export class OutboundRefused extends AgentCallError {
  constructor(readonly url: string, readonly reason: string) {
    super(`refused to call ${url}: ${reason}`, "refused", false);
    this.name = "OutboundRefused";
  }
}

/** The addresses a host stands for: itself if it is one, else what DNS (and /etc/hosts) says. */
async function addressesOf(host: string): Promise<string[]> {
  if (addressKind(host)) return [host];
  try {
    return (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
  } catch (error) {
    throw new AgentCallError(
      `cannot resolve ${host}: ${(error as Error).message}`,
      "unreachable",
      true,
      { cause: error },
    );
  }
}

/** Throws `OutboundRefused` unless the policy allows calling this URL. */
export async function checkOutboundUrl(url: URL, policy: OutboundPolicy): Promise<void> {
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new OutboundRefused(url.href, `${url.protocol} is not http or https`);
  }
  if (url.username || url.password) {
    throw new OutboundRefused(url.origin, "credentials in a URL are not sent");
  }
  const host = hostOf(url);
  const unlisted = allowlistRefusal(host, policy);
  if (unlisted) throw new OutboundRefused(url.origin, unlisted);
  for (const address of await addressesOf(host)) {
    const reason = refusalFor(address, policy);
    if (reason) {
      const why = host === address ? reason : `${host} resolves to ${address}: ${reason}`;
      throw new OutboundRefused(url.origin, why);
    }
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * `base` behind the policy, following redirects itself so that each hop is checked.
 * `secretHeaders` (and Authorization) are not sent on to another origin after a redirect.
 */
export function guardedFetch(
  policy: OutboundPolicy,
  base: typeof fetch = fetch,
  options: { secretHeaders?: string[] } = {},
): typeof fetch {
  const secrets = ["authorization", ...(options.secretHeaders ?? [])];
  return async (input, init = {}) => {
    let request = input instanceof Request ? input : undefined;
    let url = new URL(request ? request.url : String(input));
    let method = (init.method ?? request?.method ?? "GET").toUpperCase();
    let body = init.body ?? (request?.body ? await request.arrayBuffer() : undefined);
    const headers = new Headers(request?.headers);
    for (const [name, value] of new Headers(init.headers)) headers.set(name, value);
    const signal = init.signal ?? request?.signal;
    request = undefined;
    for (let hop = 0;; hop++) {
      await checkOutboundUrl(url, policy);
      const response = await base(url, {
        ...init,
        method,
        headers,
        body,
        signal,
        redirect: "manual",
      });
      const location = response.headers.get("location");
      if (!REDIRECTS.has(response.status) || !location) return response;
      await response.body?.cancel();
      if (hop === MAX_REDIRECTS) {
        throw new OutboundRefused(url.origin, `more than ${MAX_REDIRECTS} redirects`);
      }
      const next = new URL(location, url);
      // As fetch does: 303 (and 301/302 after a POST) become a GET without a body.
      if (response.status === 303 || (response.status <= 302 && method === "POST")) {
        method = "GET";
        body = undefined;
        headers.delete("content-type");
      }
      // A credential is for the host it was given for, not for wherever a redirect points.
      if (next.origin !== url.origin) { for (const name of secrets) headers.delete(name); }
      url = next;
    }
  };
}
