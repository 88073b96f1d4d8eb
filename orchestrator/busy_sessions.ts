/**
 * What a submit does when its session already has a task that has not ended (`if_busy`, as
 * LangGraph's double-texting options): run beside it, wait for it, refuse, or cancel it.
 */
import { waits } from "@app/db";
import { conflict } from "@app/lib";
import type { OrchestratorDeps } from "./deps.ts";

export type IfBusy = "parallel" | "enqueue" | "reject" | "interrupt";

/** Whether the new task runs now or is queued; throws 409 for `reject` on a busy session. */
export async function settleBusySession(
  deps: Pick<OrchestratorDeps, "db" | "lifecycle">,
  sessionId: string | undefined,
  ifBusy: IfBusy,
  actor: string | undefined,
): Promise<{ queued: boolean }> {
  if (!sessionId || ifBusy === "parallel") return { queued: false };
  const busy = await waits.unfinishedSessionTasks(deps.db, sessionId);
  if (!busy.length) return { queued: false };
  switch (ifBusy) {
    case "reject":
      throw conflict(
        `session ${sessionId} is busy with task ${busy.map((t) => t.id).join(", ")}` +
          ` (if_busy: "reject")`,
      );
    case "interrupt":
      for (const task of busy) await deps.lifecycle.cancel(task.id, actor);
      return { queued: false };
    case "enqueue":
      return { queued: true };
  }
}
