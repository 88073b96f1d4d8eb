import { assert, assertEquals } from "./assert.ts";
import { ConfigSchema, parseConfig } from "./config.ts";

const EXAMPLE = new URL("../.env.example", import.meta.url);

/** `NAME=value` lines of .env.example, commented out or not, with the comment line above each. */
function entries(text: string): Map<string, { value: string; active: boolean; comment: string }> {
  const found = new Map<string, { value: string; active: boolean; comment: string }>();
  const lines = text.split("\n").map((line) => line.trim());
  const setting = (line: string) => /^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
  lines.forEach((line, i) => {
    const match = setting(line);
    if (!match) return;
    const previous = lines[i - 1] ?? "";
    found.set(match[2], {
      value: match[3],
      active: !match[1],
      comment: previous.startsWith("#") && !setting(previous) ? previous : "",
    });
  });
  return found;
}

Deno.test("[config] .env.example names every setting of the schema, each with a comment", () => {
  const example = entries(Deno.readTextFileSync(EXAMPLE));
  const keys = Object.keys(ConfigSchema.shape);
  assert(keys.length > 20, "the schema's keys were read");
  const missing = keys.filter((key) => !example.has(key));
  assertEquals(missing, [], `.env.example lacks ${missing.join(", ")}`);
  const unknown = [...example.keys()].filter((key) => !keys.includes(key));
  assertEquals(unknown, [], `.env.example names settings the schema doesn't have`);
  const uncommented = keys.filter((key) => !example.get(key)!.comment);
  assertEquals(uncommented, [], "each setting has a one-line comment above it");
});

Deno.test("[config] .env.example's values are the schema's defaults", () => {
  const example = entries(Deno.readTextFileSync(EXAMPLE));
  const defaults = parseConfig({}) as Record<string, unknown>;
  for (const [key, { value, active }] of example) {
    assertEquals(active, false, `${key} is commented out: the default applies`);
    const expected = key === "LLM_PROVIDER" || defaults[key] === undefined ? "" : defaults[key];
    assertEquals(value, String(expected), `${key}'s value in .env.example is its default`);
  }
  // And the file, uncommented as it is, configures the defaults exactly.
  const uncommented: Record<string, string> = {};
  for (const [key, { value }] of example) if (value !== "") uncommented[key] = value;
  assertEquals(parseConfig(uncommented), parseConfig({}));
});
