/** Reads what an A2A message asks for: the instruction (its first text part, else the data's
 * task), further text, and the caller's data part ({task?, input?, context?, history?}). */
import type { Message } from "@a2a-js/sdk";
import type { ResearchInput } from "./report.ts";

export function inputFromMessage(message: Message): Omit<ResearchInput, "conversation"> {
  const texts: string[] = [];
  let data: Record<string, unknown> = {};
  for (const part of message.parts) {
    const content = part.content;
    if (content?.$case === "text" && content.value.trim()) texts.push(content.value.trim());
    else if (content?.$case === "url") texts.push(`Referenced: ${content.value}`);
    else if (content?.$case === "data" && content.value && typeof content.value === "object") {
      data = Array.isArray(content.value)
        ? { ...data, items: content.value }
        : { ...data, ...content.value };
    }
  }
  const fallback = [data.task, data.description, data.input].find(
    (v): v is string => typeof v === "string" && v.trim() !== "",
  );
  const instruction = texts.shift() ?? fallback?.trim() ?? "";
  return { instruction, texts, data };
}
