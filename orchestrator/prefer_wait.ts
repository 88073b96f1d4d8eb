/**
 * `Prefer: wait=N` (RFC 7240) on task submission: the client would rather get the finished task
 * in this response than follow its event stream. The server waits at most N seconds (capped),
 * then answers with the task as it stands. A preference the server does not understand is
 * ignored, as the RFC says; the one applied is named back in `Preference-Applied`.
 */
import { z } from "@hono/zod-openapi";

/** The longest wait honoured: a request held longer ties up the client and any proxy. */
export const MAX_PREFER_WAIT_S = 300;

export const PreferHeader = z.object({
  prefer: z.string().optional().openapi({
    description: "`wait=N` (RFC 7240): answer when the task has ended (201, the finished " +
      `task), or after N seconds (at most ${MAX_PREFER_WAIT_S}), or as soon as it waits on a ` +
      "person (approval, a question), with 202 and the task as it stands. The wait applied " +
      "is echoed in `Preference-Applied`.",
    example: "wait=30",
  }),
});

/**
 * The `wait` preference in seconds, or undefined when none is asked for (or it is malformed:
 * a preference, unlike a field, may be ignored). `Prefer` may carry several preferences,
 * comma-separated, each with `;` parameters and an optionally quoted value.
 */
export function preferredWaitSeconds(header: string | undefined): number | undefined {
  if (!header) return undefined;
  for (const preference of header.split(",")) {
    const [token] = preference.split(";");
    const match = /^\s*wait\s*=\s*"?(\d{1,9})"?\s*$/i.exec(token);
    if (match) return Math.min(Number(match[1]), MAX_PREFER_WAIT_S);
  }
  return undefined;
}
