/**
 * The capability names agents advertise and plans use, and which API-agent operation serves
 * each: one map for the orchestrator's planner and agent client and for the API agent.
 */

/** What a plan step can ask for; an agent advertises some of these. */
export const CAPABILITIES = ["research", "analysis", "summarization", "extraction"] as const;
export type Capability = typeof CAPABILITIES[number];

/** The API agent's operations, each served at `/api/{operation}`. */
export const OPERATIONS = ["summarize", "analyze", "extract"] as const;
export type Operation = typeof OPERATIONS[number];

/** The capability each operation provides (what the API agent advertises). */
export const OPERATION_CAPABILITY: Readonly<Record<Operation, Capability>> = {
  summarize: "summarization",
  analyze: "analysis",
  extract: "extraction",
};

/**
 * Every lower-case name that selects an operation: the capability, the verb and the task types
 * of the Python original's `/process`. No prototype, so "constructor" names nothing.
 */
export const API_OPERATIONS: Readonly<Record<string, Operation>> = Object.freeze(
  Object.assign(Object.create(null), {
    summarize: "summarize",
    summarization: "summarize",
    summary: "summarize",
    analyze: "analyze",
    analysis: "analyze",
    analyse: "analyze",
    data_analysis: "analyze",
    extract: "extract",
    extraction: "extract",
  }),
);

/** The operation a capability or task type names (any case, outer spaces ignored). */
export function apiOperationOf(name: string): Operation | undefined {
  return API_OPERATIONS[name.trim().toLowerCase()];
}
