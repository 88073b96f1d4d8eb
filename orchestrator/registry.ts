/**
 * The agent registry: registration (with full details, or an A2A agent by its URL alone, its
 * card supplying the rest), health checks, and the background monitor that keeps `status`,
 * `last_seen_at` and `last_error` current so routing can prefer agents that answer.
 */
import type { Kysely } from "kysely";
import {
  type Agent,
  type AgentType,
  appendAudit,
  createAgent,
  type Database,
  getAgent,
  getAgentByName,
  type JsonObject,
  listAgents,
  recordAgentHealth,
  setAgentCredential,
  updateAgent,
} from "@app/db";
import { conflict, HttpError, type Logger, notFound } from "@app/lib";
import { type AgentClient, DEFAULT_OUTBOUND } from "./agent_client.ts";
import { type CredentialInput, toCredential } from "./agent_credentials.ts";
import {
  checkOutboundUrl,
  guardedFetch,
  type OutboundPolicy,
  OutboundRefused,
} from "./outbound/guarded_fetch.ts";
import { listMcpTools } from "./mcp/tool_client.ts";

export interface RegisterInput {
  name?: string;
  description?: string;
  agent_type?: AgentType;
  endpoint?: string;
  url?: string;
  capabilities?: string[];
  config?: JsonObject;
  metadata?: JsonObject;
  /** Sent to the agent on every call; stored apart, never shown. */
  credentials?: CredentialInput;
}

/** An outbound refusal as the API answers it at registration: 422 naming the field. */
export function refusedAt(field: string, error: unknown): unknown {
  return error instanceof OutboundRefused
    ? new HttpError(422, "outbound_refused", error.message, [{ field, message: error.reason }])
    : error;
}

export interface Registry {
  /** `actor` is who asked, named in the audit log. */
  register(input: RegisterInput, options?: { upsert?: boolean; actor?: string }): Promise<Agent>;
  checkHealth(id: number): Promise<Agent>;
  checkAll(): Promise<void>;
  /** Registers the built-in agents, retrying in the background until each answers. */
  registerBuiltIns(
    builtIns: { url: string; agent_type: AgentType; credentials?: CredentialInput }[],
  ): void;
  startMonitor(intervalMs: number): void;
  stop(): void;
  /** 422 unless the outbound policy allows this endpoint. */
  checkEndpoint(endpoint: string, field: string): Promise<void>;
  /** An agent was changed elsewhere (drops cached agents and credentials). */
  changed(): void;
}

export function createRegistry(
  deps: {
    db: Kysely<Database>;
    agentClient: AgentClient;
    logger: Logger;
    /** Called after this registry changes an agent (to drop cached agent lists). */
    onChange?: () => void;
    /** Where agents may be (checked before anything is fetched from them). */
    outbound?: OutboundPolicy;
  },
): Registry {
  const { db, agentClient, logger } = deps;
  const outbound = deps.outbound ?? DEFAULT_OUTBOUND;
  const outboundFetch = guardedFetch(outbound);
  const changed = () => deps.onChange?.();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let stopped = false;

  async function describe(input: RegisterInput) {
    const endpoint = (input.endpoint ?? input.url)!.replace(/\/+$/, "");
    const agent_type = input.agent_type ?? "a2a_server";
    const field = input.endpoint ? "endpoint" : "url";
    await checkOutboundUrl(new URL(endpoint), outbound).catch((error) => {
      // A host that does not resolve now (an agent not started yet) cannot be judged by its
      // address: it is registered, and every call to it is checked again.
      if (error instanceof OutboundRefused) throw refusedAt(field, error);
    });
    if (agent_type === "mcp") return await describeMcp(input, endpoint, field);
    if (input.name && input.capabilities?.length) return { ...input, endpoint, agent_type };
    if (agent_type === "api") {
      // An API agent describes itself at /capabilities, as the original's did.
      const response = await outboundFetch(`${endpoint}/capabilities`, {
        signal: AbortSignal.timeout(5_000),
      })
        .catch((error) => {
          if (error instanceof OutboundRefused) throw refusedAt(field, error);
          throw new HttpError(
            422,
            "agent_unreachable",
            `cannot reach ${endpoint}: ${error.message}`,
          );
        });
      const body = response.ok ? await response.json().catch(() => ({})) : {};
      return {
        ...input,
        endpoint,
        agent_type,
        name: input.name ?? body.name ?? new URL(endpoint).host,
        description: input.description ?? body.description ?? "",
        capabilities: input.capabilities?.length
          ? input.capabilities
          : Array.isArray(body.capabilities)
          ? body.capabilities.map(String)
          : [],
      };
    }
    const card = await agentClient.fetchCard(endpoint).catch((error) => {
      if (error instanceof OutboundRefused) throw refusedAt(field, error);
      throw new HttpError(
        422,
        "agent_card_unavailable",
        `could not read an agent card from ${endpoint}: ${error.message}`,
        [{ field: "url", message: error.message }],
      );
    });
    return {
      ...input,
      endpoint,
      agent_type,
      name: input.name ?? card.name,
      description: input.description ?? card.description,
      capabilities: input.capabilities?.length ? input.capabilities : card.capabilities,
      metadata: { ...(input.metadata ?? {}), ...(card.version && { card_version: card.version }) },
    };
  }

  /** An MCP server: each of its tools is a capability; the tools are kept in its config. */
  async function describeMcp(input: RegisterInput, endpoint: string, field: string) {
    // A server behind a key lists its tools only to the holder of the agent's credential.
    const credential = input.credentials && toCredential(input.credentials);
    const listFetch: typeof fetch = credential
      ? (url, init = {}) => {
        const headers = new Headers(init.headers);
        headers.set(credential.header, credential.scheme + credential.secret);
        return guardedFetch(outbound, fetch, { secretHeaders: [credential.header] })(url, {
          ...init,
          headers,
        });
      }
      : outboundFetch;
    const tools = await listMcpTools(endpoint, listFetch, AbortSignal.timeout(10_000))
      .catch((error) => {
        if (error instanceof OutboundRefused) throw refusedAt(field, error);
        throw new HttpError(
          422,
          "agent_unreachable",
          `could not list the tools of the MCP server at ${endpoint}: ${error.message}`,
          [{ field, message: error.message }],
        );
      });
    return {
      ...input,
      endpoint,
      agent_type: "mcp" as const,
      name: input.name ?? new URL(endpoint).host,
      description: input.description ??
        `MCP server with tools: ${tools.map((t) => t.name).join(", ")}`,
      capabilities: input.capabilities?.length ? input.capabilities : tools.map((t) => t.name),
      config: { ...(input.config ?? {}), tools: tools as unknown as JsonObject[] },
    };
  }

  async function register(
    input: RegisterInput,
    options: { upsert?: boolean; actor?: string } = {},
  ) {
    const described = await describe(input);
    const existing = await getAgentByName(db, described.name!);
    if (existing) {
      if (!options.upsert) {
        throw conflict(`an agent named "${described.name}" is already registered`);
      }
      return await db.transaction().execute(async (trx) => {
        const updated = (await updateAgent(trx, existing.id, {
          description: described.description,
          agent_type: described.agent_type,
          endpoint: described.endpoint,
          capabilities: described.capabilities,
          ...(described.config && { config: described.config }),
          status: "active",
        }))!;
        if (input.credentials) {
          await setAgentCredential(trx, existing.id, toCredential(input.credentials));
        }
        return updated;
      });
    }
    const agent = await db.transaction().execute(async (trx) => {
      const agent = await createAgent(trx, {
        name: described.name!,
        description: described.description ?? "",
        agent_type: described.agent_type,
        endpoint: described.endpoint,
        capabilities: described.capabilities ?? [],
        config: described.config ?? {},
        metadata: described.metadata ?? {},
      });
      if (input.credentials) {
        await setAgentCredential(trx, agent.id, toCredential(input.credentials));
      }
      await appendAudit(trx, {
        actor: options.actor ?? "orchestrator",
        action: "agent.registered",
        subject: `agent ${agent.id}`,
        data: {
          name: agent.name,
          endpoint: agent.endpoint,
          with_credentials: Boolean(input.credentials),
        },
      });
      return agent;
    });
    logger.info("agent registered", { agent_id: agent.id, name: agent.name });
    changed();
    return agent;
  }

  async function checkHealth(id: number): Promise<Agent> {
    const agent = await getAgent(db, id);
    if (!agent) throw notFound(`agent ${id}`);
    const result = await agentClient.checkHealth(agent);
    const status = result.ok
      ? "active"
      : /HTTP \d|card has no|malformed/i.test(result.error ?? "")
      ? "error"
      : "inactive";
    const checked = await recordAgentHealth(db, id, { status, error: result.error ?? null });
    if (checked?.status !== agent.status) changed();
    return checked ?? agent;
  }

  async function checkAll() {
    const agents = await listAgents(db);
    await Promise.all(agents.map((agent) => checkHealth(agent.id).catch(() => {})));
  }

  function later(fn: () => void, ms: number) {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!stopped) fn();
    }, ms);
    timers.add(timer);
  }

  function registerBuiltIns(builtIns: { url: string; agent_type: AgentType }[]) {
    for (const builtIn of builtIns) {
      let delay = 500;
      const attempt = () => {
        register(builtIn, { upsert: true })
          .then((agent) =>
            logger.info("built-in agent ready", { name: agent.name, url: builtIn.url })
          )
          .catch((error) => {
            logger.debug("built-in agent not up yet", { url: builtIn.url, error: String(error) });
            delay = Math.min(delay * 2, 15_000);
            later(attempt, delay);
          });
      };
      attempt();
    }
  }

  function startMonitor(intervalMs: number) {
    const tick = () => {
      checkAll().catch((error) =>
        logger.warn("health check round failed", { error: String(error) })
      )
        .finally(() => later(tick, intervalMs));
    };
    later(tick, intervalMs);
  }

  return {
    register,
    checkHealth,
    changed,
    checkEndpoint: (endpoint, field) =>
      checkOutboundUrl(new URL(endpoint), outbound).catch((error) => {
        // As at registration: a host that does not resolve yet is judged at every call.
        if (error instanceof OutboundRefused) throw refusedAt(field, error);
      }),
    checkAll,
    registerBuiltIns,
    startMonitor,
    stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
