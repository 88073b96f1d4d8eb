/**
 * A task handed in through the orchestrator's A2A endpoint or its MCP server: the same checks
 * and the same submission as `POST /api/tasks` (the caller owns it, a named session must be
 * theirs, WEBHOOK_URL hears of it, the default budget and plan approval apply), so it is one
 * task in the REST API and the UI.
 */
import { getSession } from "@app/db";
import { DEFAULT_WEBHOOK_EVENTS } from "@app/lib/task_events";
import type { OrchestratorDeps } from "../deps.ts";
import { actorOf, ownerFor, visibleSession } from "../access.ts";
import type { Principal } from "../auth/principal.ts";
import { submitTask, type TaskIntake } from "../task_service.ts";

export interface RemoteTaskRequest {
  description: string;
  session_id?: string;
  metadata?: Record<string, unknown>;
}

export async function submitAs(
  deps: OrchestratorDeps,
  intake: TaskIntake | undefined,
  principal: Principal,
  request: RemoteTaskRequest,
) {
  if (request.session_id && await getSession(deps.db, request.session_id)) {
    await visibleSession(deps.db, principal, request.session_id);
  }
  const webhooks = deps.config.WEBHOOK_URL
    ? [{ url: deps.config.WEBHOOK_URL, events: DEFAULT_WEBHOOK_EVENTS }]
    : [];
  // The server's defaults for every task, as the REST route applies them.
  const defaultBudget = deps.config.DEFAULT_TASK_BUDGET_TOKENS;
  return await submitTask(
    deps,
    {
      ...request,
      user_id: ownerFor(principal, undefined),
      actor: actorOf(principal),
      budget: defaultBudget ? { max_tokens: defaultBudget } : undefined,
      require_approval: deps.config.REQUIRE_PLAN_APPROVAL,
    },
    intake,
    { webhooks },
  );
}
