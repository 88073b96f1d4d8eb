/**
 * Sessions as the chat lists them: named after their first request (the oldest task's
 * description), searchable by that name. Pure: the route hands it what the API returned.
 */
import type { Session } from "./types.ts";

export interface NamedSession {
  session_id: string;
  name: string;
  user_id: string;
  created_at: string;
  last_activity: string;
  message_count: number;
}

export const UNNAMED_SESSION = "New conversation";
const NAME_CHARS = 80;

export function nameSessions(
  sessions: Session[],
  tasks: { session_id: string; description: string; created_at: string; id: number }[],
): NamedSession[] {
  const first = new Map<string, { description: string; id: number }>();
  for (const task of tasks) {
    const seen = first.get(task.session_id);
    if (!seen || task.id < seen.id) first.set(task.session_id, task);
  }
  return sessions.map((session) => {
    const request = first.get(session.session_id)?.description.trim().replace(/\s+/g, " ");
    return {
      session_id: session.session_id,
      name: request
        ? (request.length > NAME_CHARS ? `${request.slice(0, NAME_CHARS - 1)}…` : request)
        : UNNAMED_SESSION,
      user_id: session.user_id,
      created_at: session.created_at,
      last_activity: session.last_activity ?? session.updated_at,
      message_count: session.message_count ?? 0,
    };
  });
}

/** Sessions whose name (or id, or user) contains every word of the query, any case. */
export function searchSessions(sessions: NamedSession[], query: string): NamedSession[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return sessions;
  return sessions.filter((session) => {
    const text = `${session.name} ${session.session_id} ${session.user_id}`.toLowerCase();
    return words.every((word) => text.includes(word));
  });
}
