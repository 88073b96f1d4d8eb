import { assertEquals } from "@app/lib/assert";
import { OFFLINE_NOTICE } from "@app/lib/offline_notice";
import { earlierAnswer, sentencesAsked, stepMaterial } from "./step_material.ts";

const history = [
  { role: "user", content: "Analyze 12, 15, 9, 30, 22" },
  { role: "assistant", content: `Analyzed 5 values: mean 17.6.\n\n${OFFLINE_NOTICE}` },
  { role: "user", content: "the newest request" },
];
const request = (description: string, dependencies = {}, turns = history) => ({
  task: { description },
  step: { description },
  dependencies,
  history: turns,
});

Deno.test("[material] a follow-up's first step works on the earlier answer, without its notice", () => {
  assertEquals(earlierAnswer(history), "Analyzed 5 values: mean 17.6.");
  assertEquals(stepMaterial(request("Now summarize that")), {
    text: "Analyzed 5 values: mean 17.6.",
    numbers: [],
    from: "earlier answer",
  });
});

Deno.test("[material] an unrelated request gets nothing from the past", () => {
  assertEquals(stepMaterial(request("Compare solar and wind power")), {
    text: "",
    numbers: [],
    from: "nothing",
  });
});

Deno.test("[material] the request's numbers are data; earlier steps' outputs are text", () => {
  assertEquals(stepMaterial(request("Analyze these numbers: 12, 15, 9")).numbers, [12, 15, 9]);
  const after = stepMaterial(request("Analyze it", {
    "1": { summary: "Sales were 3, 5 and 8 units.", insights: ["steady growth"] },
    "2": { summary: "There is nothing to research.", no_material: true },
  }));
  assertEquals(after, {
    text: "Sales were 3, 5 and 8 units. steady growth",
    numbers: [3, 5, 8],
    from: "dependencies",
  });
});

Deno.test("[material] how many sentences a summary asks for", () => {
  assertEquals(sentencesAsked("Now summarize that in one sentence"), 1);
  assertEquals(sentencesAsked("Summarize in 3 sentences"), 3);
  assertEquals(sentencesAsked("Summarize the report"), undefined);
});
