/** Builds a finished task's result from its steps' outputs. */
import type { Json, JsonObject, TaskStep } from "@app/db";
import { OFFLINE_NOTICE } from "@app/lib/offline_notice";

function strings(value: Json | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/**
 * `summary` comes from the final steps (those no other step depends on), with the offline
 * notice as its last line when an agent worked offline; `insights` from every step;
 * `step_outputs` keeps each step's full output by step number.
 */
export function buildResult(steps: TaskStep[]): JsonObject {
  const dependedOn = new Set(steps.flatMap((s) => s.dependencies));
  const finals = steps.filter((s) => !dependedOn.has(s.step_number) && s.status === "completed");
  const summaries = finals.map((s) => s.output_data.summary).filter((v): v is string =>
    typeof v === "string" && v.trim() !== ""
  );
  const insights = [...new Set(steps.flatMap((s) => strings(s.output_data.insights)))].slice(0, 12);
  const stepOutputs: JsonObject = {};
  for (const step of steps) stepOutputs[String(step.step_number)] = step.output_data;
  const offline = steps.some((s) => s.output_data.offline === true);
  const summary = summaries.join("\n\n") || "The task completed without a summary from its agents.";
  return {
    // An offline answer says so, and how to add a model, in its last line.
    summary: offline ? `${summary}\n\n${OFFLINE_NOTICE}` : summary,
    insights,
    step_outputs: stepOutputs,
    offline,
  };
}
