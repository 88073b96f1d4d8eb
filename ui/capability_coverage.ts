/**
 * Which capabilities have an active agent: every capability plans use (lib/capabilities.ts)
 * and every one an agent advertises, each with the active agents serving it. Pure.
 */
import type { Agent } from "./types.ts";

export interface Coverage {
  capability: string;
  active: string[];
}

export function capabilityCoverage(known: readonly string[], agents: Agent[]): Coverage[] {
  const all = new Set([...known, ...agents.flatMap((agent) => agent.capabilities)]);
  return [...all].sort().map((capability) => ({
    capability,
    active: agents.filter((a) => a.status === "active" && a.capabilities.includes(capability))
      .map((a) => a.name),
  }));
}
