/**
 * The access policy, in one place: what a caller may see and change. An admin sees everything;
 * a user only their own tasks and sessions, and another's is "not found" (never "forbidden",
 * which would tell that it exists). Routes ask here on the way into the lifecycle and the
 * reads; the owner filter itself runs inside the repositories' queries.
 */
import type { Kysely } from "kysely";
import { type Database, getSession, getTask, type Session, type Task } from "@app/db";
import { HttpError, notFound, unprocessable } from "@app/lib";
import type { Principal } from "./auth/principal.ts";

/** The owner filter for a caller's reads and writes: none for an admin. */
export function ownerFilter(principal: Principal): string | undefined {
  return principal.role === "admin" ? undefined : principal.user_id;
}

/** Agents and keys are the admins' (403: their existence is no secret). */
export function requireAdmin(principal: Principal, what: string): void {
  if (principal.role !== "admin") {
    throw new HttpError(403, "forbidden", `${what} needs an admin`);
  }
}

/** The task, if the caller may see it; 404 otherwise. */
export async function visibleTask(
  db: Kysely<Database>,
  principal: Principal,
  id: number,
): Promise<Task> {
  const task = await getTask(db, id, ownerFilter(principal));
  if (!task) throw notFound(`task ${id}`);
  return task;
}

/** The session, if the caller may see it; 404 otherwise. */
export async function visibleSession(
  db: Kysely<Database>,
  principal: Principal,
  sessionId: string,
): Promise<Session> {
  const session = await getSession(db, sessionId, ownerFilter(principal));
  if (!session) throw notFound(`session ${sessionId}`);
  return session;
}

/**
 * Who owns what the caller creates. An authenticated user creates for themselves (a `user_id`
 * naming someone else is refused); an admin may create for any user; on an open service the
 * `user_id` given is believed, as it always was.
 */
export function ownerFor(principal: Principal, requested: string | undefined): string {
  if (principal.via === "open") return requested ?? "anonymous";
  if (principal.role === "admin") return requested ?? principal.user_id;
  if (requested !== undefined && requested !== principal.user_id) {
    throw unprocessable("user_id", `must be your own user id ("${principal.user_id}") or left out`);
  }
  return principal.user_id;
}

/** Who the events name as having made a change. */
export function actorOf(principal: Principal): string {
  return principal.user_id;
}
