/**
 * The outbound guard and the loopback-only default end to end, without a packet leaving this
 * machine: tests/netns/outbound_probe.ts runs in a network namespace it sets up itself
 * (`unshare -rnm`: its own loopback, the metadata addresses on it with a server counting what
 * reaches them, /etc/hosts naming one of them), and reports what it saw.
 */
import { assert, assertEquals, assertStringIncludes } from "@app/lib/assert";

const PROBE = new URL("./netns/outbound_probe.ts", import.meta.url).pathname;

function unshareWorks(): string | undefined {
  try {
    const { code, stderr } = new Deno.Command("unshare", {
      args: ["-rnm", "sh", "-c", "ip link set lo up"],
    }).outputSync();
    return code === 0 ? undefined : new TextDecoder().decode(stderr).trim();
  } catch (error) {
    return String(error);
  }
}

const cannot = unshareWorks();
if (cannot) {
  console.warn(
    `[outbound] skipped: this machine does not let an unprivileged user make a network ` +
      `namespace (unshare -rnm: ${cannot})`,
  );
}

Deno.test({
  name:
    "[outbound] in a namespace of its own: nothing reaches the metadata addresses; open services stay on loopback",
  ignore: cannot !== undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const hosts = await Deno.makeTempFile();
    await Deno.writeTextFile(
      hosts,
      "127.0.0.1 localhost\n::1 localhost\n169.254.169.254 metadata.internal\n",
    );
    const script =
      `mount --bind "${hosts}" /etc/hosts && exec "${Deno.execPath()}" run -A "${PROBE}"`;
    const output = await new Deno.Command("unshare", {
      args: ["-rnm", "sh", "-c", script],
      env: { TEST_DATABASE_URL: "" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    await Deno.remove(hosts);
    const stdout = new TextDecoder().decode(output.stdout);
    assertEquals(output.code, 0, new TextDecoder().decode(output.stderr) + stdout);
    const results = JSON.parse(stdout.trim().split("\n").at(-1)!);
    const registrations = results.registrations;

    for (
      const name of [
        "dotted",
        "decimal",
        "hex",
        "octal",
        "ipv6 metadata",
        "ipv4-mapped",
        "name resolving to metadata",
        "card redirecting to metadata",
        "card redirecting to ipv6 metadata",
        "full details at metadata",
        "api agent whose /capabilities redirects",
        "localhost with private refused",
        "loopback with private refused",
        "not in the allowlist",
      ]
    ) {
      const answer = registrations[name];
      assertEquals(answer.status, 422, `${name}: ${JSON.stringify(answer)}`);
      assertEquals(answer.code, "outbound_refused", name);
      assert(["url", "endpoint"].includes(answer.field), `${name} names the field`);
    }
    assertStringIncludes(registrations["name resolving to metadata"].message, "metadata.internal");
    assertStringIncludes(registrations["localhost with private refused"].message, "loopback");
    assertStringIncludes(registrations["not in the allowlist"].message, "OUTBOUND_ALLOWLIST");
    assertEquals(registrations["update endpoint to metadata"], 422);
    assertEquals(registrations["control: a local agent"].status, 201);
    assertEquals(registrations["redirecting agent"].status, 201);
    assertEquals(results.tasks.control, "completed");
    assertEquals(results.tasks.redirected.status, "failed");
    assertStringIncludes(results.tasks.redirected.error, "refused to call http://169.254.169.254");

    assertEquals(results.arrived, 0, "not one connection reached a metadata address");
    assertEquals(results.arrivedAfterControl, 1, "the counter counts");

    // No key, no JWKS: loopback only, said once; ALLOW_UNAUTHENTICATED or a key open HOST.
    const { open, allowed, keyed } = results.listen;
    assertStringIncludes(open.url, "127.0.0.1");
    assertEquals([open.loopback, open.other, open.openLines], [200, "refused", 1]);
    assertEquals([allowed.loopback, allowed.other, allowed.openLines], [200, 200, 1]);
    assertEquals([keyed.loopback, keyed.other, keyed.openLines], [401, 401, 0]);
  },
});
