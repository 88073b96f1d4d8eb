/**
 * A step's arguments checked against an MCP tool's input schema before the call, so a plan
 * that left them out fails its step saying which are missing (not the server's own wording).
 * Covers what plans get wrong: required properties, and the JSON type of each given one.
 */
import type { JsonObject } from "@app/db";

export interface ToolSchema {
  type?: string;
  properties?: Record<string, { type?: string | string[] }>;
  required?: string[];
}

function jsonTypeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function fits(value: unknown, type: string | string[] | undefined): boolean {
  if (type === undefined) return true;
  const actual = jsonTypeOf(value);
  return [type].flat().some((t) => t === actual || (t === "number" && actual === "integer"));
}

/** The problems with `args` for this schema, one line each; empty when they fit. */
export function toolArgumentProblems(schema: ToolSchema | undefined, args: JsonObject): string[] {
  const missing = (schema?.required ?? []).filter((name) => args[name] === undefined);
  const problems = missing.length ? [`missing arguments: ${missing.join(", ")}`] : [];
  for (const [name, value] of Object.entries(args)) {
    const type = schema?.properties?.[name]?.type;
    if (!fits(value, type)) {
      problems.push(`argument ${name} should be ${[type].flat().join(" or ")}`);
    }
  }
  return problems;
}
