/**
 * A typed fetch wrapper around the orchestrator's HTTP API. It adds the signed-in viewer's key
 * or token, so it stays on the UI server; errors come back as OrchestratorError carrying the API's own message.
 */
import type {
  Agent,
  AgentCalls,
  AgentDeleted,
  AgentHealth,
  ApiError,
  CreatedTask,
  Me,
  Session,
  SessionDetail,
  TaskView,
} from "./types.ts";

export class OrchestratorError extends Error {
  override name = "OrchestratorError";
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export interface ClientOptions {
  baseUrl: string;
  /** The bearer key or token of the request at hand (the signed-in viewer's). */
  credential?: () => string | undefined;
  fetch?: typeof fetch;
}

export type OrchestratorClient = ReturnType<typeof createOrchestratorClient>;

export function createOrchestratorClient(options: ClientOptions) {
  const base = options.baseUrl.replace(/\/+$/, "");
  const doFetch = options.fetch ?? fetch;

  /** A raw request to the orchestrator with the key added: the proxy streams its body on. */
  function raw(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const credential = options.credential?.();
    if (credential) headers.set("authorization", `Bearer ${credential}`);
    return doFetch(base + path, { ...init, headers }).catch((error) => {
      throw new OrchestratorError(502, "orchestrator_unreachable", `${base}: ${error.message}`);
    });
  }

  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await raw(path, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      const error = (parsed as Partial<ApiError> | undefined)?.error;
      throw new OrchestratorError(
        response.status,
        error?.code ?? "orchestrator_error",
        error?.message ?? (text.slice(0, 200) || response.statusText),
      );
    }
    return parsed as T;
  }

  const query = (params: Record<string, string | number | undefined>) => {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      if (value !== undefined && value !== "") search.set(key, String(value));
    }
    const text = search.toString();
    return text ? `?${text}` : "";
  };
  const seg = encodeURIComponent;

  return {
    raw,
    me: () => call<Me>("GET", "/api/me"),
    listSessions: (filter: { user_id?: string; limit?: number } = {}) =>
      call<Session[]>("GET", `/api/sessions${query(filter)}`),
    getSession: (sessionId: string) =>
      call<SessionDetail>("GET", `/api/sessions/${seg(sessionId)}`),
    createSession: (userId: string) => call<Session>("POST", "/api/sessions", { user_id: userId }),
    deleteSession: (sessionId: string) =>
      call<{ deleted: true }>("DELETE", `/api/sessions/${seg(sessionId)}`),
    listTasks: (
      filter: {
        session_id?: string;
        limit?: number;
        status?: string;
        agent_id?: number;
        since?: string;
        until?: string;
        q?: string;
      } = {},
    ) => call<TaskView[]>("GET", `/api/tasks${query(filter)}`),
    getTask: (id: number) => call<TaskView>("GET", `/api/tasks/${id}`),
    createTask: (
      input: {
        description: string;
        session_id?: string;
        user_id?: string;
        require_approval?: boolean;
      },
    ) => call<CreatedTask>("POST", "/api/tasks", input),
    cancelTask: (id: number) => call<TaskView>("POST", `/api/tasks/${id}/cancel`),
    retryTask: (id: number) => call<TaskView>("POST", `/api/tasks/${id}/retry`),
    approveTask: (id: number) => call<TaskView>("POST", `/api/tasks/${id}/approve`),
    rejectTask: (id: number, reason: string) =>
      call<TaskView>("POST", `/api/tasks/${id}/reject`, { reason }),
    answerTask: (id: number, text: string, step_number?: number) =>
      call<TaskView>("POST", `/api/tasks/${id}/input`, { text, step_number }),
    listAgents: () => call<Agent[]>("GET", "/api/agents"),
    checkAgent: (id: number) => call<AgentHealth>("POST", `/api/agents/${id}/health`),
    registerAgent: (url: string) => call<Agent>("POST", "/api/agents", { url }),
    registerRestAgent: (agent: { name: string; endpoint: string; capabilities: string[] }) =>
      call<Agent>("POST", "/api/agents", { ...agent, agent_type: "api" }),
    agentCalls: () => call<AgentCalls[]>("GET", "/api/agents/calls"),
    deleteAgent: (id: number) => call<AgentDeleted>("DELETE", `/api/agents/${id}`),
  };
}
