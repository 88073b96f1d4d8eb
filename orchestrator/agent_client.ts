/**
 * Calls agents for the executor: A2A agents through the official SDK client (v1.0, or v0.3
 * through its compat layer), API agents through their REST route. Failures are classified as
 * transient (network, 5xx, timeout: worth a retry) or permanent. The registry's reads of an
 * agent (its card, its health) are in agent_card.ts and agent_health.ts.
 */
import {
  ClientFactory,
  ClientFactoryOptions,
  DefaultAgentCardResolver,
  JsonRpcTransportFactory,
  RestTransportFactory,
} from "@a2a-js/sdk/client";
import type { Client } from "@a2a-js/sdk/client";
import { type Message, Role, TaskState } from "@a2a-js/sdk";
import type { Agent, JsonObject } from "@app/db";
import { API_OPERATIONS } from "@app/lib/capabilities";
import { parseWireUsage, type UsageRecord } from "@app/lib/usage";
import { traceparentOf } from "@app/lib/tracing";

/** `{traceparent}` of the call's span, for A2A message metadata; nothing when untraced. */
function traceMetadata(): { traceparent?: string } {
  const traceparent = traceparentOf();
  return traceparent ? { traceparent } : {};
}
import { sentencesAsked, stepMaterial } from "./step_material.ts";
import {
  AgentCallError,
  AgentNeedsInput,
  asAgentCallError,
  readAgentBody,
  typedAgentFetch,
} from "./agent_errors.ts";
import type { AgentCredential } from "./agent_credentials.ts";
import { guardedFetch, type OutboundPolicy } from "./outbound/guarded_fetch.ts";
import { callMcpAgent } from "./mcp/mcp_agent_call.ts";
import { type AgentCardInfo, fetchAgentCard } from "./agent_card.ts";
import { checkAgentHealth } from "./agent_health.ts";

export type { AgentCardInfo } from "./agent_card.ts";

/** Private addresses allowed (agents on this machine), metadata never: the default policy. */
export const DEFAULT_OUTBOUND: OutboundPolicy = { allowPrivate: true, allowlist: [] };

export interface StepRequest {
  task: { id: number; description: string; session_id: string };
  step: { step_number: number; description: string; capability: string };
  /** Outputs of the steps this one depends on, by step number. */
  dependencies: Record<string, JsonObject>;
  /** The session's recent conversation. */
  history: { role: string; content: string }[];
  /**
   * The same for every call of this task's step (retries, fallbacks, a takeover after a
   * crash): sent as `Idempotency-Key` (REST) or message metadata `idempotencyKey` (A2A), so
   * an agent that honours it does the step's work once.
   */
  idempotency_key: string;
  /** The plan step's `input`: an MCP tool's arguments. */
  arguments?: JsonObject;
  /**
   * A person's answer to the agent's question: sent alone into the agent's own A2A task (same
   * task and context), with its own idempotency key (the step's would replay the question).
   */
  answer?: { text: string; a2a_task_id: string; a2a_context_id: string | null };
}

/** Told what the agent streams while it works (A2A status messages, artifact text). */
export type OnAgentProgress = (progress: { status?: string; text?: string }) => void;

/**
 * Told the LLM usage the agent reported with its answer: the API agent's JSON `usage`, an A2A
 * agent's task metadata `usage` (the built-in agents report both ways; any agent may).
 */
export type OnAgentUsage = (usage: UsageRecord[]) => void;

export interface AgentClient {
  call(
    agent: Pick<Agent, "id" | "name" | "agent_type" | "endpoint">,
    request: StepRequest,
    signal: AbortSignal,
    onProgress?: OnAgentProgress,
    onUsage?: OnAgentUsage,
  ): Promise<JsonObject>;
  /** Resolves quickly with ok=false and the reason when the agent is unreachable or unhealthy. */
  checkHealth(
    agent: Pick<Agent, "agent_type" | "endpoint">,
  ): Promise<{ ok: boolean; error?: string }>;
  /** Reads an A2A agent card (agent-card.json, falling back to the older agent.json). */
  fetchCard(url: string): Promise<AgentCardInfo>;
}

/** The SDK's client options, with every request through `fetchImpl`. */
function a2aClientOptions(fetchImpl: typeof fetch) {
  return ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
    transports: [
      new JsonRpcTransportFactory({ fetchImpl, legacyCompat: { enabled: true } }),
      new RestTransportFactory({ fetchImpl, legacyCompat: { enabled: true } }),
    ],
    cardResolver: new DefaultAgentCardResolver({ fetchImpl, legacyCompat: { enabled: true } }),
  });
}

function textOf(parts: { content?: { $case: string; value: unknown } }[] = []): string {
  return parts.filter((p) => p.content?.$case === "text").map((p) => String(p.content!.value))
    .join("\n");
}

function dataOf(
  parts: { content?: { $case: string; value: unknown } }[] = [],
): JsonObject | undefined {
  const data = parts.find((p) => p.content?.$case === "data")?.content?.value;
  return data && typeof data === "object" && !Array.isArray(data) ? data as JsonObject : undefined;
}

type A2aTask = Awaited<ReturnType<Client["getTask"]>>;
type A2aArtifact = A2aTask["artifacts"][number];

const TERMINAL_FAILURE: Partial<Record<TaskState, string>> = {
  [TaskState.TASK_STATE_FAILED]: "failed",
  [TaskState.TASK_STATE_CANCELED]: "canceled",
  [TaskState.TASK_STATE_REJECTED]: "rejected",
};

/** A person's answer, sent alone into the agent's waiting task. */
function answerMessage(
  request: StepRequest,
  answer: NonNullable<StepRequest["answer"]>,
): Message {
  return {
    messageId: crypto.randomUUID(),
    contextId: answer.a2a_context_id ?? request.task.session_id,
    taskId: answer.a2a_task_id,
    role: Role.ROLE_USER,
    parts: [{
      content: { $case: "text", value: answer.text },
      metadata: undefined,
      filename: "",
      mediaType: "text/plain",
    }],
    // The trace goes in the message too: an A2A agent may not read HTTP headers.
    metadata: { idempotencyKey: request.idempotency_key, ...traceMetadata() },
    extensions: [],
    referenceTaskIds: [],
  };
}

/** States in which the agent waits for the user: its status message is the question. */
const ASKING: Partial<Record<TaskState, "input" | "auth">> = {
  [TaskState.TASK_STATE_INPUT_REQUIRED]: "input",
  [TaskState.TASK_STATE_AUTH_REQUIRED]: "auth",
};

function outputFromArtifacts(artifacts: A2aArtifact[], statusText: string): JsonObject {
  const report = artifacts.find((a) => a.name === "report") ?? artifacts[0];
  const data = report ? dataOf(report.parts) : undefined;
  if (data) return data;
  const text = artifacts.map((a) => textOf(a.parts)).filter(Boolean).join("\n") || statusText;
  return { summary: text, insights: [] };
}

export interface AgentClientOptions {
  fetch?: typeof fetch;
  /** Where calls may go (OUTBOUND_ALLOW_PRIVATE, OUTBOUND_ALLOWLIST); checked at every hop. */
  outbound?: OutboundPolicy;
  /** An agent's credential, added to every call to it. */
  credentials?: (agentId: number) => Promise<AgentCredential | undefined>;
}

type CalledAgent = Pick<Agent, "id" | "name" | "agent_type" | "endpoint">;

export function createAgentClient(options: AgentClientOptions = {}): AgentClient {
  const policy = options.outbound ?? DEFAULT_OUTBOUND;
  const doFetch = guardedFetch(policy, options.fetch ?? fetch);
  const clients = new Map<string, Promise<Client>>();

  /** Fetch for calls to one agent: guarded, typed, with its credential if it has one. */
  function agentFetchFor(agentId: number): typeof fetch {
    return typedAgentFetch(async (input, init = {}) => {
      const credential = await options.credentials?.(agentId);
      if (!credential) return doFetch(input, init);
      const headers = new Headers(input instanceof Request ? input.headers : undefined);
      for (const [name, value] of new Headers(init.headers)) headers.set(name, value);
      headers.set(credential.header, credential.scheme + credential.secret);
      const fetchWithSecret = guardedFetch(policy, options.fetch ?? fetch, {
        secretHeaders: [credential.header],
      });
      return fetchWithSecret(input, { ...init, headers });
    });
  }

  function a2aClient(agent: CalledAgent): Promise<Client> {
    const { endpoint } = agent;
    const key = `${agent.id} ${endpoint}`;
    let client = clients.get(key);
    if (!client) {
      const factory = new ClientFactory(a2aClientOptions(agentFetchFor(agent.id)));
      client = factory.createFromUrl(endpoint).catch(() =>
        factory.createFromUrl(endpoint, "/.well-known/agent.json")
      );
      client.catch(() => clients.delete(key));
      clients.set(key, client);
    }
    return client;
  }

  async function callA2a(
    agent: CalledAgent,
    request: StepRequest,
    signal: AbortSignal,
    onProgress?: OnAgentProgress,
    onUsage?: OnAgentUsage,
  ) {
    const what = `agent ${agent.name}`;
    const material = stepMaterial(request);
    let client: Client;
    try {
      client = await a2aClient(agent);
    } catch (error) {
      throw asAgentCallError(error, `${what}: cannot read its agent card`);
    }
    const message: Message = {
      messageId: crypto.randomUUID(),
      contextId: request.task.session_id,
      taskId: "",
      role: Role.ROLE_USER,
      parts: [
        {
          content: { $case: "text", value: request.step.description },
          metadata: undefined,
          filename: "",
          mediaType: "text/plain",
        },
        {
          content: {
            $case: "data",
            value: {
              task: request.task.description,
              capability: request.step.capability,
              // Only material: "" when the request brings none (the agent then says so
              // offline, or researches the topic with a model).
              input: material.text,
              ...(material.numbers.length && { numbers: material.numbers }),
              // The conversation is material only for a request that refers back to it.
              follow_up: material.from === "earlier answer",
              context: request.dependencies,
              history: request.history,
            },
          },
          metadata: undefined,
          filename: "",
          mediaType: "application/json",
        },
      ],
      // The trace goes in the message too: an A2A agent may not read HTTP headers.
      metadata: { idempotencyKey: request.idempotency_key, ...traceMetadata() },
      extensions: [],
      referenceTaskIds: [],
    };
    const sent = request.answer ? answerMessage(request, request.answer) : message;
    const asking = () =>
      new AgentNeedsInput(`${what} asks: ${statusText || "(no question given)"}`, {
        kind: ASKING[state]!,
        question: statusText || `${agent.name} needs ${ASKING[state]} to go on`,
        a2a_task_id: taskId ?? null,
        a2a_context_id: contextId ?? null,
      });
    let taskId: string | undefined;
    let contextId: string | undefined;
    let state: TaskState = TaskState.TASK_STATE_UNSPECIFIED;
    let statusText = "";
    /** The task's metadata `usage`, as the latest task or status update carried it. */
    let usage: unknown;
    const cancelRemote = () => {
      if (taskId) {
        client.cancelTask({ tenant: "", id: taskId, metadata: undefined }).catch(() => {});
      }
    };
    signal.addEventListener("abort", cancelRemote, { once: true });
    try {
      const artifacts = new Map<string, A2aArtifact>();

      for await (
        const event of client.sendMessageStream({
          tenant: "",
          message: sent,
          configuration: undefined,
          metadata: undefined,
        }, { signal })
      ) {
        const payload = event.payload;
        if (!payload) continue;
        if (payload.$case === "message") {
          onUsage?.(parseWireUsage(payload.value.metadata?.usage));
          return dataOf(payload.value.parts) ??
            { summary: textOf(payload.value.parts), insights: [] };
        }
        if (payload.$case === "task") {
          taskId = payload.value.id;
          contextId = payload.value.contextId || contextId;
          state = payload.value.status?.state ?? state;
          statusText = textOf(payload.value.status?.message?.parts) || statusText;
          usage = payload.value.metadata?.usage ?? usage;
          for (const artifact of payload.value.artifacts) {
            artifacts.set(artifact.artifactId, artifact);
          }
        } else if (payload.$case === "statusUpdate") {
          taskId ??= payload.value.taskId;
          contextId ||= payload.value.contextId;
          state = payload.value.status?.state ?? state;
          // Status metadata is merged into the task's: usage arrives with the final status.
          usage = payload.value.metadata?.usage ?? usage;
          statusText = textOf(payload.value.status?.message?.parts) || statusText;
          if (state === TaskState.TASK_STATE_WORKING && statusText) {
            onProgress?.({ status: statusText });
          }
          // An agent waiting for credentials may keep its stream open: the question is asked.
          if (state === TaskState.TASK_STATE_AUTH_REQUIRED) throw asking();
        } else if (payload.$case === "artifactUpdate" && payload.value.artifact) {
          const artifact = payload.value.artifact;
          onProgress?.({ text: textOf(artifact.parts) });
          const existing = artifacts.get(artifact.artifactId);
          artifacts.set(
            artifact.artifactId,
            existing && payload.value.append
              ? { ...existing, parts: [...existing.parts, ...artifact.parts] }
              : artifact,
          );
        }
        if (TERMINAL_FAILURE[state]) {
          throw new AgentCallError(
            `${what}: task ${TERMINAL_FAILURE[state]}${statusText ? `: ${statusText}` : ""}`,
            "task_failed",
            false,
          );
        }
      }
      // Judged where the stream ends (the SDK ends it on input-required): a resumed task's
      // first event may still show the question it is answering.
      if (ASKING[state]) throw asking();
      if (state !== TaskState.TASK_STATE_COMPLETED) {
        if (signal.aborted) throw signal.reason;
        throw new AgentCallError(
          `${what}: stream ended before the task completed`,
          "protocol",
          true,
        );
      }
      onUsage?.(parseWireUsage(usage));
      return {
        ...outputFromArtifacts([...artifacts.values()], statusText),
        a2a_task_id: taskId ?? null,
      };
    } catch (error) {
      if (error instanceof AgentNeedsInput) throw error;
      if (signal.aborted) cancelRemote();
      throw asAgentCallError(error, what);
    } finally {
      signal.removeEventListener("abort", cancelRemote);
    }
  }

  async function callApi(
    agent: CalledAgent,
    request: StepRequest,
    signal: AbortSignal,
    onUsage?: OnAgentUsage,
  ) {
    const what = `agent ${agent.name}`;
    const operation = API_OPERATIONS[request.step.capability.toLowerCase()] ?? "analyze";
    const material = stepMaterial(request);
    const sentences = sentencesAsked(request.step.description);
    let text: string;
    try {
      const response = await agentFetchFor(agent.id)(new URL("/api/process", agent.endpoint), {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "idempotency-key": request.idempotency_key,
        },
        body: JSON.stringify({
          operation,
          input: material.text,
          // Numbers from the request or the steps before go to analyze as data.
          ...(operation === "analyze" && material.numbers.length && { data: material.numbers }),
          options: {
            instruction: request.step.description,
            ...(sentences && { max_sentences: sentences }),
          },
          history: request.history,
        }),
        signal,
      });
      text = await readAgentBody(response, agent.endpoint);
    } catch (error) {
      throw asAgentCallError(error, what);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (!body || typeof body !== "object" || Array.isArray(body)) {
      // Transient: a half-written answer from an agent that is restarting reads the same way.
      throw new AgentCallError(
        `${what} answered malformed JSON: ${text.slice(0, 200)}`,
        "protocol",
        true,
      );
    }
    onUsage?.(parseWireUsage((body as JsonObject).usage));
    return body as JsonObject;
  }

  return {
    call: (agent, request, signal, onProgress, onUsage) =>
      agent.agent_type === "api"
        ? callApi(agent, request, signal, onUsage)
        : agent.agent_type === "mcp"
        ? callMcpAgent(
          agent,
          { capability: request.step.capability, arguments: request.arguments },
          agentFetchFor(agent.id),
          signal,
          onProgress,
        )
        : callA2a(agent, request, signal, onProgress, onUsage),
    checkHealth: (agent) => checkAgentHealth(agent, doFetch, agentFetchFor),
    fetchCard: (url) => fetchAgentCard(doFetch, url),
  };
}
