/** A step's `input_data`: what it was started with, for the API and the UI. */
import type { JsonObject, TaskStep } from "@app/db";

export function stepInput(
  step: Pick<TaskStep, "description" | "capability">,
  dependencies: Record<string, JsonObject>,
  historyMessages: number,
): JsonObject {
  return {
    description: step.description,
    capability: step.capability,
    dependencies,
    history_messages: historyMessages,
  };
}
