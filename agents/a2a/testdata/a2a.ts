/** Helpers for tests that drive the agent with the SDK's client and raw JSON-RPC. */
import { type Message, type Part, Role, type Task } from "@a2a-js/sdk";
import type { SendMessageResult } from "@a2a-js/sdk";
import { assert } from "@app/lib/assert";

export function userMessage(
  text: string,
  options: { data?: Record<string, unknown>; contextId?: string } = {},
): Message {
  const parts: Part[] = [{
    content: { $case: "text", value: text },
    metadata: undefined,
    filename: "",
    mediaType: "text/plain",
  }];
  if (options.data) {
    parts.push({
      content: { $case: "data", value: options.data },
      metadata: undefined,
      filename: "",
      mediaType: "application/json",
    });
  }
  return {
    messageId: crypto.randomUUID(),
    contextId: options.contextId ?? "",
    taskId: "",
    role: Role.ROLE_USER,
    parts,
    metadata: undefined,
    extensions: [],
    referenceTaskIds: [],
  };
}

export function sendRequest(message: Message, returnImmediately = false) {
  return {
    tenant: "",
    message,
    configuration: {
      acceptedOutputModes: [],
      taskPushNotificationConfig: undefined,
      returnImmediately,
    },
    metadata: undefined,
  };
}

export function asTask(result: SendMessageResult): Task {
  assert("id" in result && "status" in result, `expected a task, got ${JSON.stringify(result)}`);
  return result as Task;
}

/** The report's data part in a task's "report" artifact. */
export function reportOf(task: Task): Record<string, unknown> {
  const artifact = task.artifacts.find((a) => a.name === "report");
  assert(artifact, `no report artifact in ${JSON.stringify(task.artifacts)}`);
  const data = artifact.parts.find((p) => p.content?.$case === "data")?.content?.value;
  assert(data && typeof data === "object", "the report artifact has no data part");
  return data as Record<string, unknown>;
}

/** POSTs one JSON-RPC request; `version` sets the A2A-Version header. */
export async function rpc(
  url: string,
  body: unknown,
  options: { version?: string; raw?: string; contentType?: string } = {},
): Promise<Response> {
  const headers: Record<string, string> = {
    "content-type": options.contentType ?? "application/json",
  };
  if (options.version) headers["A2A-Version"] = options.version;
  return await fetch(url, {
    method: "POST",
    headers,
    body: options.raw ?? JSON.stringify(body),
  });
}

/** The `data:` payloads of an SSE response, parsed. */
export async function sseEvents(response: Response): Promise<Record<string, unknown>[]> {
  const text = await response.text();
  return text.split("\n\n")
    .map((block) => block.split("\n").filter((l) => l.startsWith("data: ")).map((l) => l.slice(6)))
    .filter((lines) => lines.length)
    .map((lines) => JSON.parse(lines.join("\n")));
}

export function waitFor(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
