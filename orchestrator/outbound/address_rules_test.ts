import { assertEquals } from "@app/lib/assert";
import { addressKind, allowlistRefusal, hostOf, refusalFor } from "./address_rules.ts";

const open = { allowPrivate: true, allowlist: [] };
const closed = { allowPrivate: false, allowlist: [] };
/** The host a URL written this way reaches, as the orchestrator checks it. */
const host = (written: string) => hostOf(new URL(`http://${written}/`));

Deno.test("[outbound] the metadata and link-local addresses, in every written form, are always refused", () => {
  const forms = [
    "169.254.169.254",
    "2852039166", // decimal
    "0xA9FEA9FE", // hex
    "0xa9.0xfe.0xa9.0xfe",
    "0251.0376.0251.0376", // octal
    "169.254.43518", // the last two bytes as one number
    "169.16689662",
    "[::ffff:169.254.169.254]", // IPv4-mapped IPv6
    "[::ffff:a9fe:a9fe]",
    "[0:0:0:0:0:ffff:a9fe:a9fe]",
    "[::169.254.169.254]", // IPv4-compatible
    "[64:ff9b::169.254.169.254]", // NAT64
    "[2002:a9fe:a9fe::1]", // 6to4
    "[fd00:ec2::254]", // AWS's IPv6 metadata
    "[fd00:0ec2:0000:0000:0000:0000:0000:0254]",
    "[FD00:EC2::254]",
  ];
  for (const form of forms) {
    assertEquals(addressKind(host(form)), "metadata", form);
    assertEquals(refusalFor(host(form), open)?.includes("never called"), true, form);
  }
  for (
    const form of ["169.254.0.1", "169.254.170.2", "[fe80::1]", "[febf::1]"]
  ) {
    assertEquals(addressKind(host(form)), "link_local", form);
    assertEquals(refusalFor(host(form), open)?.includes("never called"), true, form);
  }
  // A resolver may hand back a zone id (a URL may not carry one).
  assertEquals(addressKind("fe80::1%eth0"), "link_local");
  for (const form of ["224.0.0.1", "255.255.255.255", "[ff02::1]"]) {
    assertEquals(refusalFor(host(form), open)?.includes("never called"), true, form);
  }
});

Deno.test("[outbound] private and loopback addresses, in every written form, are refused only when private is off", () => {
  const forms: [string, string][] = [
    ["127.0.0.1", "loopback"],
    ["2130706433", "loopback"],
    ["0x7f000001", "loopback"],
    ["127.1", "loopback"],
    ["0177.0.0.1", "loopback"],
    ["[::1]", "loopback"],
    ["[0:0:0:0:0:0:0:1]", "loopback"],
    ["[::ffff:127.0.0.1]", "loopback"],
    ["[::ffff:7f00:1]", "loopback"],
    ["0.0.0.0", "unspecified"],
    ["0", "unspecified"],
    ["[::]", "unspecified"],
    ["10.0.0.1", "private"],
    ["167772161", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["100.64.0.1", "private"],
    ["[::ffff:10.0.0.1]", "private"],
    ["[64:ff9b::10.0.0.1]", "private"],
    ["[fc00::1]", "private"],
    ["[fd12:3456::1]", "private"],
  ];
  for (const [form, kind] of forms) {
    assertEquals(addressKind(host(form)), kind, form);
    assertEquals(refusalFor(host(form), open), undefined, `${form} with private allowed`);
    assertEquals(
      refusalFor(host(form), closed)?.includes("OUTBOUND_ALLOW_PRIVATE=false"),
      true,
      form,
    );
  }
});

Deno.test("[outbound] public addresses pass; host names are not addresses; the allowlist narrows", () => {
  for (
    const form of ["8.8.8.8", "172.32.0.1", "100.128.0.1", "[2606:4700::1111]", "[::ffff:8.8.8.8]"]
  ) {
    assertEquals(addressKind(host(form)), "public", form);
    assertEquals(refusalFor(host(form), closed), undefined, form);
  }
  assertEquals(addressKind("example.com"), undefined);
  assertEquals(addressKind("1.2.3"), undefined);
  const listed = { allowPrivate: true, allowlist: ["agents.example.com", "*.corp.test"] };
  assertEquals(allowlistRefusal("agents.example.com", listed), undefined);
  assertEquals(allowlistRefusal("AGENTS.example.com", listed), undefined);
  assertEquals(allowlistRefusal("a.b.corp.test", listed), undefined);
  assertEquals(
    allowlistRefusal("corp.test.evil.com", listed),
    "corp.test.evil.com is not in OUTBOUND_ALLOWLIST",
  );
  assertEquals(allowlistRefusal("localhost", listed), "localhost is not in OUTBOUND_ALLOWLIST");
  assertEquals(allowlistRefusal("anything", open), undefined);
});
