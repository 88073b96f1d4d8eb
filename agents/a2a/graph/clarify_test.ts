import { assert, assertEquals } from "@app/lib/assert";
import { missingSubject, namesASubject, withSubject } from "./clarify.ts";
import type { ResearchInput } from "../report.ts";

const request = (instruction: string, more: Partial<ResearchInput> = {}): ResearchInput => ({
  instruction,
  texts: [],
  data: {},
  conversation: [],
  ...more,
});

Deno.test("[clarify] requests that name no subject", () => {
  for (const text of ["Research it", "Summarize this.", "Analyze that please", "research", ""]) {
    assert(!namesASubject(text), text);
    assert(missingSubject(request(text)), text);
  }
  for (const text of ["Research solar power", "Summarize 2024", "Explain AI", "Research quickly"]) {
    assert(namesASubject(text), text);
  }
});

Deno.test("[clarify] material, data or an earlier turn is something to work on", () => {
  assert(!missingSubject(request("Summarize it", { texts: ["Oslo has 700,000 people."] })));
  assert(!missingSubject(request("Summarize it", { data: { input: "Oslo is a city." } })));
  const past = [{ role: "agent", content: "Oslo is the capital of Norway." }];
  assert(!missingSubject(request("Research it", { conversation: past })));
  // Unless the orchestrator says the request does not continue the conversation.
  assert(
    missingSubject(request("Research it", { conversation: past, data: { follow_up: false } })),
  );
  // The request's own task name is not material.
  assert(missingSubject(request("Research it", { data: { task: "Research it" } })));
});

Deno.test("[clarify] the answer becomes the subject", () => {
  assertEquals(
    withSubject(request("Research it."), "tidal power").instruction,
    "Research it: tidal power",
  );
  assertEquals(withSubject(request(""), "tidal power").instruction, "tidal power");
  const long = "Tidal power is steady. ".repeat(12).trim();
  assertEquals(withSubject(request("Summarize it"), long).texts, [long]);
});
