/**
 * Signed-in browsers: a random session id in an HttpOnly cookie, and here, on the UI server
 * only, the key or token it stands for. Kept in memory: restarting the UI signs everyone out.
 */
import type { Viewer } from "./viewer.ts";

export const SESSION_COOKIE = "orch_ui_session";
const MAX_SESSIONS = 10_000;

interface Entry {
  viewer: Viewer;
  expires: number;
}

export class SignInSessions {
  readonly #entries = new Map<string, Entry>();
  constructor(readonly ttlMs: number) {}

  /** A new session for this viewer; its id goes in the cookie. */
  create(viewer: Viewer, expiresAt?: number): string {
    const id = crypto.randomUUID() + crypto.randomUUID().replaceAll("-", "");
    const expires = Math.min(Date.now() + this.ttlMs, expiresAt ?? Infinity);
    if (this.#entries.size >= MAX_SESSIONS) {
      this.#entries.delete(this.#entries.keys().next().value!);
    }
    this.#entries.set(id, { viewer, expires });
    return id;
  }

  get(id: string | undefined): Viewer | undefined {
    const entry = id ? this.#entries.get(id) : undefined;
    if (!entry) return undefined;
    if (entry.expires <= Date.now()) {
      this.#entries.delete(id!);
      return undefined;
    }
    return entry.viewer;
  }

  delete(id: string | undefined): void {
    if (id) this.#entries.delete(id);
  }
}
