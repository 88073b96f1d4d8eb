/**
 * The registered agents, re-read at most every `ttlMs`: every task reads them (to plan and to
 * pick agents) but they change rarely. Changes made in this process invalidate it at once;
 * another process's changes are seen within `ttlMs`.
 */
import type { Kysely } from "kysely";
import { type Agent, type Database, listAgents } from "@app/db";

export interface AgentCache {
  (): Promise<Agent[]>;
  invalidate(): void;
}

export function createAgentCache(db: Kysely<Database>, ttlMs = 1_000): AgentCache {
  let cached: { at: number; agents: Promise<Agent[]> } | undefined;
  const read = (() => {
    const now = Date.now();
    if (!cached || now - cached.at > ttlMs) {
      const agents = listAgents(db);
      cached = { at: now, agents };
      agents.catch(() => (cached = undefined));
    }
    return cached.agents;
  }) as AgentCache;
  read.invalidate = () => (cached = undefined);
  return read;
}
