/**
 * The Python original's `POST /process` body ({task_type, data, instructions?, target_format?})
 * read as an operation request: text data becomes the input; otherwise the instructions are the
 * text input and the data is analyzed as data.
 */
import type { OperationRequest } from "./request.ts";
import type { LegacyProcessBody } from "./schemas.ts";

const isText = (value: unknown): value is string => typeof value === "string";

export function fromLegacy(body: LegacyProcessBody): OperationRequest {
  const { data, instructions, target_format } = body;
  const options = { ...(target_format && { target_format }) };
  if (isText(data)) {
    return {
      input: data,
      options: { ...options, ...(instructions && { instruction: instructions }) },
    };
  }
  // A list of strings is a list of texts (paragraphs), not data to compute on.
  if (Array.isArray(data) && data.length && data.every(isText)) {
    return {
      input: data.join("\n\n"),
      options: { ...options, ...(instructions && { instruction: instructions }) },
    };
  }
  return {
    input: instructions ?? "",
    ...(data !== undefined && data !== null && { data }),
    options,
  };
}
