/**
 * A2A conformance, TCK-style: the official TCK (a2aproject/a2a-tck, Python) cannot run here, so
 * its mandatory checks for a JSON-RPC agent (ids below are the TCK's) run against the SDK's own
 * reference server (its Express adapters, an executor that answers at once) and against our
 * agent, with the SDK's client for v1.0 and its legacy transport for v0.3. Our agent must pass
 * every check the reference passes; our card must also match the A2A 1.0 AgentCard message.
 */
import { assertEquals } from "@app/lib/assert";
import { dbTest } from "@app/db/testing";
import { startAgent } from "./testdata/start_agent.ts";
import { startReferenceServer } from "./testdata/reference_server.ts";
import { card, CHECKS, target } from "./testdata/tck_checks.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

dbTest(
  "[a2a] conformance: our agent passes every TCK-style check the SDK's reference passes",
  async (
    { db },
    t,
  ) => {
    const reference = await startReferenceServer();
    const agent = await startAgent({ db });
    try {
      const targets = [await target("reference", reference.url), await target("ours", agent.url)];
      const results: Record<string, Record<string, string>> = {};
      for (const [name, check] of Object.entries(CHECKS)) {
        results[name] = {};
        for (const target of targets) {
          try {
            await check(target);
            results[name][target.name] = "pass";
          } catch (error) {
            results[name][target.name] = `FAIL: ${error instanceof Error ? error.message : error}`;
          }
        }
        await t.step(name, () => {
          assertEquals(results[name].reference, "pass", "the reference must pass the check");
          assertEquals(results[name].ours, "pass");
        });
      }

      await t.step(
        "our v0.3 card is what the SDK's card handler makes of the same card",
        async () => {
          const ours = (await card(agent.url)).body;
          const theirs = (await card(reference.url)).body;
          const strip = (body: Json, url: string) =>
            JSON.parse(JSON.stringify(body).replaceAll(url, "<agent>"));
          assertEquals(strip(ours, agent.url), strip(theirs, reference.url));
        },
      );
    } finally {
      await agent.close();
      await reference.close();
    }
  },
);
