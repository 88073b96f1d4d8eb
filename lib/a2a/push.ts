/**
 * A2A push notifications, as both A2A servers here support them: configs kept by the SDK's
 * `DatabasePushNotificationStore` in the project's database (so they outlive a restart and are
 * shared by every process), sent by the SDK's sender in the wire version each was registered
 * over (v1.0 or v0.3). A server may check a config's URL before it is stored (the orchestrator
 * refuses addresses its outbound guard refuses).
 */
import type { TaskPushNotificationConfig } from "@a2a-js/sdk";
import type {
  PushNotificationSender,
  PushNotificationStore,
  ServerCallContext,
  StoredPushNotificationConfig,
} from "@a2a-js/sdk/server";
import { DatabasePushNotificationStore } from "@a2a-js/sdk/server/database";
import { createLegacyAwarePushNotificationSender } from "@a2a-js/sdk/compat/v0_3/server";
import { RequestMalformedError } from "@a2a-js/sdk/errors";
import type { Database } from "@app/db";
import type { Kysely } from "kysely";
import { PushPresenceStore } from "./push_presence.ts";

/** Throws (with the reason) when push notifications may not go to this URL. */
export type PushUrlCheck = (url: URL) => Promise<void>;

/** The SDK's store, with each config's URL checked before it is saved. */
class CheckedPushStore implements PushNotificationStore {
  constructor(
    private readonly inner: DatabasePushNotificationStore<Database>,
    private readonly check: PushUrlCheck,
  ) {}

  async save(taskId: string, context: ServerCallContext, config: TaskPushNotificationConfig) {
    let url: URL;
    try {
      url = new URL(config.url);
    } catch {
      throw new RequestMalformedError(`push notification url is not a URL: ${config.url}`);
    }
    try {
      await this.check(url);
    } catch (error) {
      throw new RequestMalformedError(
        `push notification url refused: ${error instanceof Error ? error.message : error}`,
      );
    }
    await this.inner.save(taskId, context, config);
  }

  load(taskId: string, context: ServerCallContext): Promise<TaskPushNotificationConfig[]> {
    return this.inner.load(taskId, context);
  }

  loadWithMetadata(
    taskId: string,
    context: ServerCallContext,
  ): Promise<StoredPushNotificationConfig[]> {
    return this.inner.loadWithMetadata(taskId, context);
  }

  delete(taskId: string, context: ServerCallContext, configId?: string): Promise<void> {
    return this.inner.delete(taskId, context, configId);
  }
}

export interface PushNotifications {
  store: PushNotificationStore;
  sender: PushNotificationSender;
}

export function createPushNotifications(
  db: Kysely<Database>,
  tableName: string,
  options: { checkUrl?: PushUrlCheck; timeoutMs?: number } = {},
): PushNotifications {
  const stored = new DatabasePushNotificationStore(db, { tableName });
  const checked = options.checkUrl ? new CheckedPushStore(stored, options.checkUrl) : stored;
  // The sender looks for configs at every event; few tasks have any.
  const store = new PushPresenceStore(checked, db, tableName);
  return {
    store,
    sender: createLegacyAwarePushNotificationSender(store, { timeout: options.timeoutMs }),
  };
}
