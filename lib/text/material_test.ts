import { assertEquals } from "@app/lib/assert";
import { hasMaterial, numberSeries, requestMaterial } from "./material.ts";

Deno.test("[text] a request's numbers after its colon are its data", () => {
  assertEquals(
    requestMaterial("Analyze these numbers: 12, 15, 9, 30, 22 and tell me the trend"),
    { text: "", numbers: [12, 15, 9, 30, 22] },
  );
  assertEquals(requestMaterial("Analyze 4, 8 and 15").numbers, [4, 8, 15]);
});

Deno.test("[text] a request about a topic brings no material", () => {
  for (const request of ["Summarize the benefits of AI", "Compare solar and wind power"]) {
    assertEquals(hasMaterial(request), false, request);
    assertEquals(requestMaterial(request), { text: "", numbers: [] });
  }
});

Deno.test("[text] pasted text, a quoted passage or long prose is material", () => {
  assertEquals(
    requestMaterial("Summarize this: Solar grew fast. Wind grew too.").text,
    "Solar grew fast. Wind grew too.",
  );
  assertEquals(
    requestMaterial('Extract the names from "Alice met Bob in Paris"').text,
    "Alice met Bob in Paris",
  );
  const prose = "Please summarize. " +
    "Solar power is growing fast across many regions. ".repeat(6);
  assertEquals(requestMaterial(prose).text, prose.trim());
});

Deno.test("[text] a number series needs its minimum count; dates are not numbers", () => {
  assertEquals(numberSeries("grew 24% in one year", 3), []);
  assertEquals(numberSeries("on 2 Nov 2025 it was 3, then 5, then 8", 3), [3, 5, 8]);
});
