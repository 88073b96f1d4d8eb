import { assertEquals } from "@app/lib/assert";
import { refersBack } from "./references.ts";

Deno.test("[text] follow-ups that point at the earlier answer refer back", () => {
  for (
    const request of [
      "Now summarize that in one sentence",
      "Summarize it",
      "Explain this further.",
      "Translate the above into French",
      "Analyze your previous answer",
      "What are the risks of that?",
      "Make it shorter",
    ]
  ) assertEquals(refersBack(request), true, request);
});

Deno.test("[text] requests that stand alone do not refer back", () => {
  for (
    const request of [
      "Compare solar and wind power",
      "Find evidence that solar is cheaper than coal",
      "Analyze these numbers: 12, 15, 9, 30, 22 and tell me the trend",
      "Research solar power adoption and summarize it",
      "Summarize the benefits of AI",
      "Research recent AI developments",
    ]
  ) assertEquals(refersBack(request), false, request);
});
