/**
 * The orchestrator as an A2A agent: its card at the well-known paths (public; v1.0 or the
 * v0.3 shape by `A2A-Version`) and A2A JSON-RPC at /a2a (v1.0 and v0.3, the official SDK's
 * handlers), behind the same authentication as the REST API. A2A tasks are kept by the SDK's
 * store in the orchestrator's database, each linked to the orchestrator task it runs.
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { ORCHESTRATOR_A2A_PUSH_CONFIG_TABLE, ORCHESTRATOR_A2A_TASK_TABLE } from "@app/db";
import {
  createPushNotifications,
  createTaskStore,
  documentA2aRoutes,
  jsonRpcHandler,
  mountAgentCard,
} from "@app/lib/a2a";
import { checkOutboundUrl, OutboundRefused } from "../outbound/guarded_fetch.ts";
import type { OrchestratorDeps } from "../deps.ts";
import { authenticate } from "../auth/middleware.ts";
import { principalOf } from "../auth/principal.ts";
import type { TaskIntake } from "../task_service.ts";
import { A2A_PATH, buildOrchestratorCard } from "../a2a/card.ts";
import { PrincipalUser } from "../a2a/caller.ts";
import { OrchestratorExecutor } from "../a2a/executor.ts";
import { OrchestratorRequestHandler } from "../a2a/request_handler.ts";

export function mountA2aRoutes(app: OpenAPIHono, deps: OrchestratorDeps, intake?: TaskIntake) {
  const cardFor = async (publicUrl: string) =>
    buildOrchestratorCard(publicUrl, await deps.agents(), {
      bearer: await deps.auth.required(),
      pushNotifications: true,
    });
  // Push notification configs in the database; their URLs pass the outbound guard first.
  const outbound = {
    allowPrivate: deps.config.OUTBOUND_ALLOW_PRIVATE,
    allowlist: deps.config.OUTBOUND_ALLOWLIST,
  };
  const push = createPushNotifications(deps.db, ORCHESTRATOR_A2A_PUSH_CONFIG_TABLE, {
    checkUrl: (url) =>
      checkOutboundUrl(url, outbound).catch((error) => {
        // A host that does not resolve yet is judged when it is used, as for webhooks.
        if (error instanceof OutboundRefused) throw error;
      }),
  });
  const executor = new OrchestratorExecutor(deps, intake);
  const handler = new OrchestratorRequestHandler(
    // The SDK reads this card's capabilities once (push notifications on); getAgentCard() is
    // current.
    buildOrchestratorCard(deps.config.ORCHESTRATOR_URL, [], {
      bearer: false,
      pushNotifications: true,
    }),
    {
      card: () => cardFor(deps.config.ORCHESTRATOR_URL),
      store: createTaskStore(deps.db, ORCHESTRATOR_A2A_TASK_TABLE),
      executor,
      deps,
      pushStore: push.store,
      pushSender: push.sender,
    },
  );
  // The card names the address it was asked at: the one its caller can reach.
  mountAgentCard(app, (c: Context) => cardFor(new URL(c.req.url).origin));
  app.use(A2A_PATH, authenticate(deps.auth));
  // Outside zod validation on purpose: the SDK validates JSON-RPC and answers its own codes.
  documentA2aRoutes(app, [A2A_PATH]);
  app.post(
    A2A_PATH,
    jsonRpcHandler(handler, deps.logger, { userOf: (c) => new PrincipalUser(principalOf(c)) }),
  );
}
