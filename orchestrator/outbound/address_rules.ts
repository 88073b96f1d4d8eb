/**
 * Which network addresses the orchestrator may call out to (agents, their cards, webhooks).
 * Link-local and cloud metadata addresses are never allowed, in whatever form they are
 * written (decimal, hex, IPv4-mapped or NAT64 IPv6...); private and loopback ones only when
 * OUTBOUND_ALLOW_PRIVATE is on (the default, for agents on this machine or network).
 */

export type AddressKind =
  | "metadata"
  | "link_local"
  | "reserved"
  | "loopback"
  | "unspecified"
  | "private"
  | "public";

/** Kinds refused whatever the settings say. */
const ALWAYS_REFUSED: readonly AddressKind[] = ["metadata", "link_local", "reserved"];
/** Kinds refused unless private addresses are allowed. */
const PRIVATE_KINDS: readonly AddressKind[] = ["loopback", "unspecified", "private"];

export interface OutboundPolicy {
  allowPrivate: boolean;
  /** Host names calls are limited to (exact, or "*.example.com"); empty: any. */
  allowlist: readonly string[];
}

/** Four bytes of a canonical dotted IPv4 address, or undefined. */
function parseIpv4(text: string): number[] | undefined {
  const parts = text.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p))) return undefined;
  const bytes = parts.map(Number);
  return bytes.every((b) => b <= 255) ? bytes : undefined;
}

/** Sixteen bytes of an IPv6 address (with "::" and a trailing dotted quad), or undefined. */
function parseIpv6(text: string): number[] | undefined {
  let address = text.replace(/^\[|\]$/g, "").split("%")[0].toLowerCase();
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (quad) {
    const v4 = parseIpv4(quad[1]);
    if (!v4) return undefined;
    const hex = (a: number, b: number) => ((a << 8) | b).toString(16);
    address = address.slice(0, -quad[1].length) + `${hex(v4[0], v4[1])}:${hex(v4[2], v4[3])}`;
  }
  const halves = address.split("::");
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s === "" ? [] : s.split(":"));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...Array(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  if (!all.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return undefined;
  return all.flatMap((g) => {
    const n = parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
}

function classifyIpv4([a, b, c, d]: number[]): AddressKind {
  if (a === 169 && b === 254) return c === 169 && d === 254 ? "metadata" : "link_local";
  if (a === 127) return "loopback";
  if (a === 0) return "unspecified";
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) {
    return "private";
  }
  if (a === 100 && b >= 64 && b <= 127) return "private"; // carrier-grade NAT
  if (a === 198 && (b === 18 || b === 19)) return "private"; // benchmarking
  if (a >= 224) return "reserved"; // multicast, reserved, broadcast
  return "public";
}

const isZero = (bytes: number[]) => bytes.every((b) => b === 0);

function classifyIpv6(bytes: number[]): AddressKind {
  const v4 = bytes.slice(12);
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d)
  // reach the IPv4 address they carry.
  if (isZero(bytes.slice(0, 10)) && bytes[10] === 0xff && bytes[11] === 0xff) {
    return classifyIpv4(v4);
  }
  if (isZero(bytes.slice(0, 12)) && !isZero(v4.slice(0, 3))) return classifyIpv4(v4);
  if (
    bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b &&
    isZero(bytes.slice(4, 12))
  ) return classifyIpv4(v4);
  // 6to4 (2002:a.b.c.d::/48) carries one too.
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return classifyIpv4(bytes.slice(2, 6));
  if (isZero(bytes)) return "unspecified";
  if (isZero(bytes.slice(0, 15)) && bytes[15] === 1) return "loopback";
  // AWS's IPv6 metadata service: fd00:ec2::254.
  const metadata = parseIpv6("fd00:ec2::254")!;
  if (bytes.every((b, i) => b === metadata[i])) return "metadata";
  if (bytes[0] === 0xfe && (bytes[1] & 0xc0) === 0x80) return "link_local";
  if (bytes[0] === 0xfe && (bytes[1] & 0xc0) === 0xc0) return "private"; // old site-local
  if ((bytes[0] & 0xfe) === 0xfc) return "private"; // unique local
  if (bytes[0] === 0xff) return "reserved"; // multicast
  return "public";
}

/** The kind of an IP address (canonical text, as DNS or URL parsing gives it); undefined if not an IP. */
export function addressKind(ip: string): AddressKind | undefined {
  const v4 = parseIpv4(ip);
  if (v4) return classifyIpv4(v4);
  const v6 = ip.includes(":") ? parseIpv6(ip) : undefined;
  return v6 ? classifyIpv6(v6) : undefined;
}

/** Why calling this address is refused, or undefined when it is allowed. */
export function refusalFor(ip: string, policy: OutboundPolicy): string | undefined {
  const kind = addressKind(ip);
  if (!kind) return `${ip} is not an IP address`;
  if (ALWAYS_REFUSED.includes(kind)) {
    return `${ip} is a ${kind.replace("_", "-")} address, which is never called`;
  }
  if (!policy.allowPrivate && PRIVATE_KINDS.includes(kind)) {
    return `${ip} is a ${kind} address, and OUTBOUND_ALLOW_PRIVATE=false`;
  }
  return undefined;
}

/**
 * A URL's host as the WHATWG parser normalises it: "2852039166", "0xA9FEA9FE" and
 * "0251.0376.0251.0376" all become "169.254.169.254"; IPv6 loses its brackets.
 */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, "");
}

/** Why a host name is outside OUTBOUND_ALLOWLIST, or undefined when it is inside (or no list). */
export function allowlistRefusal(host: string, policy: OutboundPolicy): string | undefined {
  if (!policy.allowlist.length) return undefined;
  const name = host.toLowerCase();
  const listed = policy.allowlist.some((entry) =>
    entry.startsWith("*.") ? name.endsWith(entry.slice(1)) : name === entry
  );
  return listed ? undefined : `${host} is not in OUTBOUND_ALLOWLIST`;
}
