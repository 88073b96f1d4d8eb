import { render } from "preact-render-to-string";
import { assertEquals, assertStringIncludes } from "@app/lib/assert";
import { McpTools } from "./mcp_tools.tsx";

Deno.test("[ui] an MCP agent shows its tools with their arguments; other agents none", () => {
  const html = render(
    <McpTools
      agent={{
        agent_type: "mcp",
        config: {
          tools: [{
            name: "get-sum",
            description: "Returns the sum of two numbers",
            input_schema: { properties: { a: {}, b: {}, note: {} }, required: ["a", "b"] },
          }],
        },
      }}
    />,
  );
  assertStringIncludes(html, "<code>get-sum</code>");
  assertStringIncludes(html, "(a, b, note?)");
  assertStringIncludes(html, "Returns the sum of two numbers");
  assertEquals(render(<McpTools agent={{ agent_type: "api", config: {} }} />), "");
});
