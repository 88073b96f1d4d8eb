/**
 * Who is using the UI, for this request: set by the sign-in middleware, read by the
 * orchestrator client (to send their key or token) and by the page frame (to show them).
 * Server-side only: islands never import it.
 */
import { tryGetContext } from "hono/context-storage";
import type { Me } from "./types.ts";

export interface Viewer extends Me {
  /** The key or token the orchestrator knows them by; absent on an open orchestrator. */
  token?: string;
}

declare module "hono" {
  interface ContextVariableMap {
    viewer: Viewer;
  }
}

/** The viewer of the request being handled, if any. */
export function currentViewer(): Viewer | undefined {
  return tryGetContext()?.var.viewer;
}
