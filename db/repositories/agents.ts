/** Agents: registration, lookup by capability, health bookkeeping. */
import type { Kysely, Selectable, Transaction } from "kysely";
import type { AgentsTable, Database } from "../schema.ts";
import type { Agent, AgentStatus, AgentType, JsonObject } from "../types.ts";
import { affected, isoNow, toJson } from "../codec.ts";
import { agentRows } from "../rows.ts";

type Db = Kysely<Database> | Transaction<Database>;

export interface NewAgent {
  name: string;
  description?: string;
  agent_type: AgentType;
  endpoint: string;
  capabilities?: string[];
  status?: AgentStatus;
  config?: JsonObject;
  metadata?: JsonObject;
}

export type AgentPatch = Partial<NewAgent>;

function toAgent(row: Selectable<AgentsTable>): Agent {
  return agentRows.decode(row);
}

export async function createAgent(db: Db, input: NewAgent): Promise<Agent> {
  const now = isoNow();
  const row = await db.insertInto("agents").values({
    name: input.name,
    description: input.description ?? "",
    agent_type: input.agent_type,
    endpoint: input.endpoint,
    capabilities: toJson(input.capabilities ?? []),
    status: input.status ?? "active",
    config: toJson(input.config ?? {}),
    metadata: toJson(input.metadata ?? {}),
    created_at: now,
    updated_at: now,
  }).returningAll().executeTakeFirstOrThrow();
  return toAgent(row);
}

export async function getAgent(db: Db, id: number): Promise<Agent | undefined> {
  const row = await db.selectFrom("agents").selectAll().where("id", "=", id).executeTakeFirst();
  return row && toAgent(row);
}

export async function getAgentByName(
  db: Db,
  name: string,
): Promise<Agent | undefined> {
  const row = await db.selectFrom("agents").selectAll().where("name", "=", name)
    .executeTakeFirst();
  return row && toAgent(row);
}

export interface AgentFilter {
  capability?: string;
  status?: AgentStatus;
  agent_type?: AgentType;
}

/** Agents in id order. Capabilities are matched case-insensitively. */
export async function listAgents(db: Db, filter: AgentFilter = {}): Promise<Agent[]> {
  let query = db.selectFrom("agents").selectAll().orderBy("id");
  if (filter.status) query = query.where("status", "=", filter.status);
  if (filter.agent_type) query = query.where("agent_type", "=", filter.agent_type);
  const agents = (await query.execute()).map(toAgent);
  if (!filter.capability) return agents;
  const wanted = filter.capability.toLowerCase();
  return agents.filter((agent) => agent.capabilities.some((c) => c.toLowerCase() === wanted));
}

export async function updateAgent(
  db: Db,
  id: number,
  patch: AgentPatch,
): Promise<Agent | undefined> {
  const row = await db.updateTable("agents").set({
    ...(patch.name !== undefined && { name: patch.name }),
    ...(patch.description !== undefined && { description: patch.description }),
    ...(patch.agent_type !== undefined && { agent_type: patch.agent_type }),
    ...(patch.endpoint !== undefined && { endpoint: patch.endpoint }),
    ...(patch.capabilities !== undefined && { capabilities: toJson(patch.capabilities) }),
    ...(patch.status !== undefined && { status: patch.status }),
    ...(patch.config !== undefined && { config: toJson(patch.config) }),
    ...(patch.metadata !== undefined && { metadata: toJson(patch.metadata) }),
    updated_at: isoNow(),
  }).where("id", "=", id).returningAll().executeTakeFirst();
  return row && toAgent(row);
}

/** Records a health check: a success stamps `last_seen_at` and clears the error. */
export async function recordAgentHealth(
  db: Db,
  id: number,
  health: { status: AgentStatus; error?: string | null },
): Promise<Agent | undefined> {
  const now = isoNow();
  const row = await db.updateTable("agents").set({
    status: health.status,
    last_error: health.error ?? null,
    ...(health.status === "active" && { last_seen_at: now }),
    updated_at: now,
  }).where("id", "=", id).returningAll().executeTakeFirst();
  return row && toAgent(row);
}

export async function deleteAgent(db: Db, id: number): Promise<boolean> {
  return affected(await db.deleteFrom("agents").where("id", "=", id).executeTakeFirst()) > 0;
}

export interface AgentStats {
  total: number;
  active: number;
  inactive: number;
  error: number;
  by_type: Record<string, number>;
}

export async function agentStats(db: Kysely<Database>): Promise<AgentStats> {
  const rows = await db.selectFrom("agents")
    .select(["status", "agent_type", (eb) => eb.fn.countAll<number>().as("count")])
    .groupBy(["status", "agent_type"]).execute();
  const stats: AgentStats = { total: 0, active: 0, inactive: 0, error: 0, by_type: {} };
  for (const row of rows) {
    const count = Number(row.count);
    stats.total += count;
    if (row.status === "active" || row.status === "inactive" || row.status === "error") {
      stats[row.status] += count;
    }
    stats.by_type[row.agent_type] = (stats.by_type[row.agent_type] ?? 0) + count;
  }
  return stats;
}
