import { assertEquals } from "./assert.ts";
import {
  API_OPERATIONS,
  apiOperationOf,
  CAPABILITIES,
  OPERATION_CAPABILITY,
  OPERATIONS,
} from "./capabilities.ts";

Deno.test("[capabilities] capability names, verbs and the original's task types pick an operation", () => {
  assertEquals(apiOperationOf("summarization"), "summarize");
  assertEquals(apiOperationOf(" Summary "), "summarize");
  assertEquals(apiOperationOf("ANALYSE"), "analyze");
  assertEquals(apiOperationOf("data_analysis"), "analyze");
  assertEquals(apiOperationOf("extraction"), "extract");
  assertEquals(apiOperationOf("research"), undefined);
});

Deno.test("[capabilities] names inherited from Object are not operations", () => {
  for (const name of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
    assertEquals(apiOperationOf(name), undefined, name);
    assertEquals(API_OPERATIONS[name], undefined, name);
  }
});

Deno.test("[capabilities] every operation provides a capability that selects it again", () => {
  for (const operation of OPERATIONS) {
    const capability = OPERATION_CAPABILITY[operation];
    assertEquals(CAPABILITIES.includes(capability), true, capability);
    assertEquals(apiOperationOf(capability), operation);
    assertEquals(apiOperationOf(operation), operation);
  }
});
