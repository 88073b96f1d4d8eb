/**
 * What the orchestrator sends to prove itself to an agent: given at registration (a bearer
 * token, or a header and its value), kept in their own table, read only here, for calls.
 * Cached briefly, since every agent call asks.
 */
import type { Kysely } from "kysely";
import { type AgentCredential, type Database, getAgentCredential } from "@app/db";

export type { AgentCredential } from "@app/db";

/** A credential as the API accepts it at registration. */
export type CredentialInput = { token: string } | { header: string; value: string };

export function toCredential(input: CredentialInput): AgentCredential {
  return "token" in input
    ? { header: "authorization", scheme: "Bearer ", secret: input.token }
    : { header: input.header.toLowerCase(), scheme: "", secret: input.value };
}

export interface CredentialStore {
  (agentId: number): Promise<AgentCredential | undefined>;
  invalidate(): void;
}

export function createCredentialStore(db: Kysely<Database>, ttlMs = 1_000): CredentialStore {
  const cached = new Map<number, { at: number; value: Promise<AgentCredential | undefined> }>();
  const read = ((agentId: number) => {
    const now = Date.now();
    const hit = cached.get(agentId);
    if (hit && now - hit.at <= ttlMs) return hit.value;
    const value = getAgentCredential(db, agentId);
    cached.set(agentId, { at: now, value });
    value.catch(() => cached.delete(agentId));
    return value;
  }) as CredentialStore;
  read.invalidate = () => cached.clear();
  return read;
}
